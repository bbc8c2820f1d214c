import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PredictionLog } from '../../src/inference/prediction-log/prediction-log.service';
import type { CellValue } from '../../src/ml/schema';
import type { Http } from '../support/http';
import { InferenceFixture, MODEL } from '../support/inference-fixture';
import type { TestApp } from '../support/test-app';

describe('inference feedback and prediction log (real app, PostgreSQL, Redis)', () => {
  let f: InferenceFixture;
  let t: TestApp;
  let http: Http;
  let consumer: Http;
  let features: Record<string, CellValue>;
  const predict: InferenceFixture['predict'] = (...args) => f.predict(...args);
  const apiToken: InferenceFixture['apiToken'] = (scope) => f.apiToken(scope);

  beforeAll(async () => {
    f = await InferenceFixture.start();
    ({ t, http, consumer, features } = f);
  });
  afterAll(() => f.t.close());

  describe('POST /predictions/{id}/feedback', () => {
    it('stores a label (even before the prediction is flushed), replaces it when given again', async () => {
      const [id] = (await predict({ features })).body.predictions.map((p: { predictionId: string }) => p.predictionId);
      const first = await consumer.post(`/predictions/${id}/feedback`, { label: 'good' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ predictionId: id, label: 'good', model: MODEL, version: 1 });
      const again = await consumer.post(`/predictions/${id}/feedback`, { label: 'bad' });
      expect(again.body).toMatchObject({ label: 'bad', createdAt: first.body.createdAt });
      const rows = await t.app
        .get(DataSource)
        .query('SELECT label FROM inference.feedback WHERE prediction_id = $1', [id]);
      expect(rows).toEqual([{ label: 'bad' }]);
    });

    it('404s an unknown prediction and 422s a label outside the classes', async () => {
      const [id] = (await predict({ features })).body.predictions.map((p: { predictionId: string }) => p.predictionId);
      await t.app.get(PredictionLog).flush();
      expect((await consumer.post(`/predictions/${randomUUID()}/feedback`, { label: 'good' })).status).toBe(404);
      expect((await consumer.post('/predictions/not-a-uuid/feedback', { label: 'good' })).status).toBe(404);
      const bad = await consumer.post(`/predictions/${id}/feedback`, { label: 'maybe' });
      expect(bad.status).toBe(422);
      expect(bad.body.details[0]).toMatchObject({ field: 'label' });
      expect((await consumer.post(`/predictions/${id}/feedback`, {})).status).toBe(422);
    });

    it('503s feedback for a prediction the log cannot write yet, and takes it once the row is written', async () => {
      const log = t.app.get(PredictionLog);
      await expect(log.flush()).resolves.toBe(true);
      const writer = log as unknown as { copy: () => Promise<void> };
      const spy = jest.spyOn(writer, 'copy').mockRejectedValue(new Error('disk full'));
      const [id] = (await predict({ features })).body.predictions.map((p: { predictionId: string }) => p.predictionId);
      try {
        const res = await consumer.post(`/predictions/${id}/feedback`, { label: 'good' });
        expect(res.status).toBe(503);
        expect(res.body.message).toMatch(/prediction log cannot be written/);
      } finally {
        spy.mockRestore();
      }
      expect((await consumer.post(`/predictions/${id}/feedback`, { label: 'good' })).status).toBe(200);
    });

    it('takes a batch, all or nothing, from feedback-scope tokens', async () => {
      const ids = (await predict({ instances: [features, features] })).body.predictions.map(
        (p: { predictionId: string }) => p.predictionId,
      );
      const bot = http.as(await apiToken('feedback'));
      const unknown = await bot.post('/predictions/feedback', {
        items: [
          { predictionId: ids[0], label: 'good' },
          { predictionId: randomUUID(), label: 'good' },
        ],
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.details[0]).toMatchObject({ field: 'items[1].predictionId' });
      const badLabel = await bot.post('/predictions/feedback', {
        items: [
          { predictionId: ids[0], label: 'good' },
          { predictionId: ids[1], label: 'meh' },
        ],
      });
      expect(badLabel.status).toBe(422);
      expect(badLabel.body.details[0]).toMatchObject({ field: 'items[1].label' });
      const ok = await bot.post('/predictions/feedback', {
        items: [
          { predictionId: ids[0], label: 'good' },
          { predictionId: ids[1], label: 'bad' },
        ],
      });
      expect(ok.status).toBe(200);
      expect(ok.body.items.map((i: { label: string }) => i.label)).toEqual(['good', 'bad']);
      expect(
        (await http.as(await apiToken('predict')).post(`/predictions/${ids[0]}/feedback`, { label: 'good' })).status,
      ).toBe(403);
    });
  });

  describe('prediction log', () => {
    it('holds every answered prediction once, with caller, features, output and latency', async () => {
      const log = t.app.get(PredictionLog);
      await expect(log.flush()).resolves.toBe(true);
      type Row = { id: string; n: number; caller: string; features: string; output: string; latency: number };
      const rows = await t.app
        .get(DataSource)
        .query<Row[]>(
          'SELECT id::text AS id, count(*)::int AS n, min(caller) AS caller, min(features::text) AS features, min(output::text) AS output, min(latency_ms) AS latency FROM inference.predictions WHERE id = ANY($1::uuid[]) GROUP BY id',
          [[...f.answered.keys()]],
        );
      expect(rows).toHaveLength(f.answered.size);
      expect(rows.every((r) => r.n === 1 && /^(user|token):/.test(r.caller) && r.latency >= 0)).toBe(true);
      expect(JSON.parse(rows[0].features)).toHaveProperty('Age');
      for (const r of rows) expect(JSON.parse(r.output)).toEqual(f.answered.get(r.id));
      expect(log.stats()).toMatchObject({ buffered: 0, dropped: 0 });
    });

    it('stores each column as answered (features whatever characters a category holds, time, version, alias)', async () => {
      const home = 'a\tb\nc\r\\d "e" \\N üñí 😀';
      const before = Date.now();
      const res = await predict({ features: { ...features, Home: home } });
      const after = Date.now();
      expect(res.status).toBe(200);
      await expect(t.app.get(PredictionLog).flush()).resolves.toBe(true);
      const answered = res.body.predictions[0];
      type Row = {
        id: string;
        features: string;
        ms: string;
        model: string;
        version: number;
        alias: string | null;
        latency: number;
      };
      const [row] = await t.app
        .get(DataSource)
        .query<Row[]>(
          'SELECT id::text AS id, features::text AS features, (extract(epoch FROM created_at) * 1000)::text AS ms, model, version, alias, latency_ms AS latency FROM inference.predictions WHERE id = $1',
          [answered.predictionId],
        );
      expect(JSON.parse(row.features)).toEqual({ ...features, Home: home });
      expect(Number(row.ms)).toBeGreaterThanOrEqual(before);
      expect(Number(row.ms)).toBeLessThanOrEqual(after);
      expect(row).toMatchObject({
        id: answered.predictionId,
        model: MODEL,
        version: answered.version,
        alias: answered.alias,
      });
      expect(answered.alias).toBe('production');
      expect(row.latency).toBeGreaterThan(0);
      expect(row.latency).toBeLessThanOrEqual(after - before);
    });

    it('keeps daily partitions ahead and drops expired ones', async () => {
      const ds = t.app.get(DataSource);
      const partitions = async () =>
        (
          await ds.query<{ relname: string }[]>(
            `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'inference.predictions'::regclass`,
          )
        ).map((r) => r.relname);
      expect((await partitions()).length).toBeGreaterThanOrEqual(5);
      await t.app.get(PredictionLog).maintain(new Date('2020-01-01T12:00:00Z'));
      expect(await partitions()).toContain('predictions_p20200101');
      await t.app.get(PredictionLog).maintain();
      expect(await partitions()).not.toContain('predictions_p20200101');
    });

    it('serves while the table is unreachable, keeps what fits, counts and logs drops, then catches up', async () => {
      const ds = t.app.get(DataSource);
      const log = t.app.get(PredictionLog);
      await ds.query('ALTER TABLE inference.predictions RENAME TO predictions_away');
      const ids: string[] = [];
      try {
        for (let i = 0; i < 3; i++) {
          const res = await consumer.post(`/models/${MODEL}/predict`, {
            instances: Array.from({ length: 1000 }, () => features),
          });
          expect(res.status).toBe(200);
          ids.push(...res.body.predictions.map((p: { predictionId: string }) => p.predictionId));
        }
        await expect(log.flush()).resolves.toBe(false);
        expect(log.stats()).toMatchObject({ buffered: 2500, dropped: 500 });
        expect(log.stats().failedFlushes).toBeGreaterThan(0);
        expect(t.logs()).toContain('prediction log buffer full');
      } finally {
        await ds.query('ALTER TABLE inference.predictions_away RENAME TO predictions');
      }
      await expect(log.flush()).resolves.toBe(true);
      const [{ n }] = await ds.query(
        'SELECT count(*)::int AS n FROM inference.predictions WHERE id = ANY($1::uuid[])',
        [ids],
      );
      expect(n).toBe(2500);
    });

    it('stores a batch once when its write committed but the reply was lost (the retry skips what is there)', async () => {
      const log = t.app.get(PredictionLog);
      await expect(log.flush()).resolves.toBe(true);
      // The private writer, wrapped: its first call commits and then fails, as a dropped connection would.
      const { writer, copy } = privateCopy(log);
      const attempts: boolean[] = [];
      const spy = jest.spyOn(writer, 'copy').mockImplementation(async (batches, idempotent) => {
        attempts.push(idempotent);
        await copy(batches, idempotent);
        if (attempts.length === 1) throw new Error('connection lost after commit');
      });
      try {
        const res = await consumer.post(`/models/${MODEL}/predict`, { instances: [features, features, features] });
        const ids = res.body.predictions.map((p: { predictionId: string }) => p.predictionId);
        await expect(log.flush()).resolves.toBe(false);
        await expect(log.flush()).resolves.toBe(true);
        expect(attempts).toEqual([false, true]);
        const rows = await t.app
          .get(DataSource)
          .query<{ n: number }[]>(
            'SELECT count(*)::int AS n FROM inference.predictions WHERE id = ANY($1::uuid[]) GROUP BY id',
            [ids],
          );
        expect(rows.map((r) => r.n)).toEqual([1, 1, 1]);
      } finally {
        spy.mockRestore();
      }
    });

    it('writes the batches that queued behind a slow write in one COPY, each row once', async () => {
      const log = t.app.get(PredictionLog);
      await expect(log.flush()).resolves.toBe(true);
      const { writer, copy } = privateCopy(log);
      let release!: () => void;
      const slow = new Promise<void>((r) => (release = r));
      const calls: { batches: number; idempotent: boolean }[] = [];
      const spy = jest.spyOn(writer, 'copy').mockImplementation(async (batches, idempotent) => {
        calls.push({ batches: batches.length, idempotent });
        if (calls.length === 1) await slow;
        await copy(batches, idempotent);
      });
      try {
        // 2,100 rows: the first full batch (1,000) is held in its write; the rest queue behind it.
        const ids: string[] = [];
        for (const size of [700, 700, 700]) {
          const res = await consumer.post(`/models/${MODEL}/predict`, {
            instances: Array.from({ length: size }, () => features),
          });
          ids.push(...res.body.predictions.map((p: { predictionId: string }) => p.predictionId));
        }
        // Closes the open batch before the held write ends, so that what waits is at least two batches.
        const flushed = log.flush();
        release();
        await expect(flushed).resolves.toBe(true);
        expect(calls).toHaveLength(2);
        expect(calls[0]).toEqual({ batches: 1, idempotent: false });
        expect(calls[1].batches).toBeGreaterThanOrEqual(2);
        expect(calls[1].idempotent).toBe(false);
        const rows = await t.app
          .get(DataSource)
          .query<{ n: number }[]>(
            'SELECT count(*)::int AS n FROM inference.predictions WHERE id = ANY($1::uuid[]) GROUP BY id',
            [ids],
          );
        expect(rows).toHaveLength(2100);
        expect(rows.every((r) => r.n === 1)).toBe(true);
      } finally {
        spy.mockRestore();
      }
    });
  });
});

/** PredictionLog's private COPY writer, to spy on, and the original bound to it. */
function privateCopy(log: PredictionLog) {
  type Copy = (batches: Buffer[], idempotent: boolean) => Promise<void>;
  const writer = log as unknown as { copy: Copy };
  return { writer, copy: writer.copy.bind(log) };
}
