import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  InferenceErrorCode,
  PredictionLog,
  PredictionReader,
  type LogWindow,
  type Page,
  type PageRequest,
} from '../../src/inference';
import { moveAlias } from '../support/model-fixtures';
import { InferenceFixture, MODEL } from '../support/inference-fixture';

/** A logged row as the table holds it (the truth the reads are checked against). */
interface Stored {
  id: string;
  ms: number;
  version: number;
  alias: string | null;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// The table's order: time, then id (uuid order is the order of its lowercase hex text).
const inLogOrder = (a: Stored, b: Stored) => a.ms - b.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe('PredictionReader: the prediction log read side (real app, PostgreSQL)', () => {
  let f: InferenceFixture;
  let reader: PredictionReader;
  /** Every credit prediction made here, in log order. */
  let stored: Stored[];
  /** Each request's prediction ids, in the order made. */
  const requests: string[][] = [];
  /** The label each labelled prediction has now, and when it was given. */
  const labels = new Map<string, { label: string; labelledAt: string }>();

  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
  const whole = (): LogWindow => ({
    model: MODEL,
    from: new Date(stored[0].ms),
    to: new Date(stored[stored.length - 1].ms + 1),
  });
  const expected = (w: LogWindow) =>
    stored.filter(
      (s) =>
        s.ms >= w.from.getTime() &&
        s.ms < w.to.getTime() &&
        (w.version === undefined || s.version === w.version) &&
        (w.alias === undefined || s.alias === w.alias),
    );
  const allPages = async <T>(read: (page: PageRequest) => Promise<Page<T>>, limit?: number) => {
    const pages: Page<T>[] = [];
    let after: string | undefined;
    do {
      pages.push(await read({ limit, after }));
      after = pages[pages.length - 1].next ?? undefined;
    } while (after && pages.length < 100);
    return pages;
  };

  beforeAll(async () => {
    f = await InferenceFixture.start();
    reader = f.t.app.get(PredictionReader);
    await moveAlias(f.t.app, MODEL, 'canary', 2);
    const { features } = f;
    // Two versions, named and implied aliases, and a request of three records (one time, three ids).
    for (const [body, query] of [
      [{ features }, ''],
      [{ features }, '?version=2'],
      [{ instances: [features, features, features] }, ''],
      [{ features }, '?alias=canary'],
      [{ features }, '?version=1'],
      [{ features }, ''],
    ] as const) {
      const res = await f.predict(body, query);
      expect(res.status).toBe(200);
      requests.push(res.body.predictions.map((p: { predictionId: string }) => p.predictionId));
      // Distinct request times, so windows can fall between requests.
      await sleep(5);
    }
    await expect(f.t.app.get(PredictionLog).flush()).resolves.toBe(true);
    const ds = f.t.app.get(DataSource);
    stored = (
      await ds.query<{ id: string; ms: string; version: number; alias: string | null }[]>(
        `SELECT id, (extract(epoch FROM created_at) * 1000)::text AS ms, version, alias FROM inference.predictions WHERE model = $1`,
        [MODEL],
      )
    )
      .map((r) => ({ ...r, ms: Number(r.ms) }))
      .sort(inLogOrder);
    expect(stored).toHaveLength(8);
    // Another model's rows at the same times, which no read of credit may return.
    await ds.query(
      `INSERT INTO inference.predictions (id, created_at, model, version, alias, caller, features, output, latency_ms)
       SELECT gen_random_uuid(), created_at, 'other', version, alias, caller, features, output, latency_ms FROM inference.predictions WHERE model = $1`,
      [MODEL],
    );
    // Labels: one a version, and one replaced (the read has the last label and when it was given).
    for (const [id, label] of [
      [requests[0][0], 'good'],
      [requests[1][0], 'bad'],
      [requests[2][1], 'good'],
      [requests[2][1], 'bad'],
    ]) {
      const res = await f.consumer.post(`/predictions/${id}/feedback`, { label });
      expect(res.status).toBe(200);
      labels.set(id, { label, labelledAt: res.body.updatedAt });
    }
  });
  afterAll(() => f.t.close());

  describe('records', () => {
    it('returns every prediction of the model in the window, in log order, as logged', async () => {
      const page = await reader.records(whole());
      expect(page.next).toBeNull();
      expect(ids(page.items)).toEqual(ids(stored));
      for (const r of page.items) {
        const s = stored.find((x) => x.id === r.id)!;
        expect(r).toEqual({
          id: s.id,
          time: new Date(s.ms),
          version: s.version,
          alias: s.alias,
          features: f.features,
          output: f.answered.get(r.id),
        });
      }
      expect(page.items.map((r) => [r.version, r.alias])).toEqual([
        [1, 'production'],
        [2, null],
        [1, 'production'],
        [1, 'production'],
        [1, 'production'],
        [2, 'canary'],
        [1, null],
        [1, 'production'],
      ]);
    });

    it('takes rows at `from` and leaves those at `to` (a half-open window)', async () => {
      const from = stored.find((s) => s.id === requests[2][0])!.ms;
      const to = stored.find((s) => s.id === requests[4][0])!.ms;
      const page = await reader.records({ model: MODEL, from: new Date(from), to: new Date(to) });
      expect(ids(page.items)).toEqual([...[...requests[2]].sort(), requests[3][0]]);
      // One millisecond later on both edges: the first request at `from` is out, the one at `to` in.
      const shifted = await reader.records({ model: MODEL, from: new Date(from + 1), to: new Date(to + 1) });
      expect(ids(shifted.items)).toEqual([requests[3][0], requests[4][0]]);
    });

    it('filters by version, by alias, and by both', async () => {
      for (const w of [
        { ...whole(), version: 2 },
        { ...whole(), alias: 'canary' },
        { ...whole(), version: 1, alias: 'production' },
        { ...whole(), version: 1 },
      ]) {
        const want = ids(expected(w));
        expect(want.length).toBeGreaterThan(0);
        expect(ids((await reader.records(w)).items)).toEqual(want);
      }
      expect(ids((await reader.records({ ...whole(), version: 2 })).items)).toEqual([requests[1][0], requests[3][0]]);
      expect((await reader.records({ ...whole(), alias: 'staging' })).items).toEqual([]);
      expect((await reader.records({ ...whole(), model: 'nothing' })).items).toEqual([]);
    });

    it('pages through the window with the cursor: every row once, in order, at most `limit` a page', async () => {
      const pages = await allPages((p) => reader.records(whole(), p), 3);
      expect(pages.map((p) => p.items.length)).toEqual([3, 3, 2]);
      expect(pages.map((p) => p.next === null)).toEqual([false, false, true]);
      expect(pages.flatMap((p) => ids(p.items))).toEqual(ids(stored));
      // A page of exactly the rows left has no next page.
      const exact = await reader.records(whole(), { limit: stored.length });
      expect(exact.next).toBeNull();
    });

    it('pages rows apart by microseconds, and rows of one time, each once (the cursor keeps what a Date loses)', async () => {
      const ds = f.t.app.get(DataSource);
      const base = stored[0].ms;
      const micros = [0, 1, 1, 999, 999, 999];
      await ds.query(
        `INSERT INTO inference.predictions (id, created_at, model, version, alias, caller, features, output, latency_ms)
         SELECT gen_random_uuid(), timestamptz 'epoch' + $1::int8 * interval '1 millisecond' + us * interval '1 microsecond', 'micro', 1, NULL, 'user:test', '{}', '{}', 1 FROM unnest($2::int[]) AS us`,
        [base, micros],
      );
      const truth = await ds.query<{ id: string }[]>(
        `SELECT id FROM inference.predictions WHERE model = 'micro' ORDER BY created_at, id`,
      );
      const window = { model: 'micro', from: new Date(base), to: new Date(base + 1) };
      const pages = await allPages((p) => reader.records(window, p), 1);
      expect(pages.flatMap((p) => ids(p.items))).toEqual(ids(truth));
      expect(new Set(pages.map((p) => p.next)).size).toBe(micros.length);
    });
  });

  describe('labelled', () => {
    it('returns the window’s labelled predictions with their last label and when it was given', async () => {
      const page = await reader.labelled(whole());
      expect(page.next).toBeNull();
      const want = stored.filter((s) => labels.has(s.id));
      expect(ids(page.items)).toEqual(ids(want));
      for (const r of page.items) {
        const s = stored.find((x) => x.id === r.id)!;
        const l = labels.get(r.id)!;
        expect(r).toEqual({
          id: s.id,
          time: new Date(s.ms),
          version: s.version,
          output: f.answered.get(r.id),
          label: l.label,
          labelledAt: new Date(l.labelledAt),
        });
      }
      expect(page.items.map((r) => r.label)).toEqual(['good', 'bad', 'bad']);
    });

    it('filters by version and alias, keeps to the window, and pages', async () => {
      expect(ids((await reader.labelled({ ...whole(), version: 2 })).items)).toEqual([requests[1][0]]);
      expect(ids((await reader.labelled({ ...whole(), alias: 'production' })).items)).toEqual(
        ids(stored.filter((s) => labels.has(s.id) && s.alias === 'production')),
      );
      const from = stored.find((s) => s.id === requests[1][0])!.ms + 1;
      expect(ids((await reader.labelled({ model: MODEL, from: new Date(from), to: whole().to })).items)).toEqual([
        requests[2][1],
      ]);
      const pages = await allPages((p) => reader.labelled(whole(), p), 2);
      expect(pages.map((p) => p.items.length)).toEqual([2, 1]);
      expect(pages.flatMap((p) => ids(p.items))).toEqual(ids(stored.filter((s) => labels.has(s.id))));
    });
  });

  describe('counts', () => {
    /** The counts of each bucket of `size` overlapping `w`, from the stored rows. */
    const countsOf = (w: LogWindow, size: number) => {
      const rows = expected(w);
      const starts: number[] = [];
      for (let t = Math.floor(w.from.getTime() / size) * size; t < w.to.getTime(); t += size) starts.push(t);
      return starts.map((t) => {
        const inBucket = rows.filter((r) => r.ms >= t && r.ms < t + size);
        const versions = [...new Set(inBucket.map((r) => r.version))].sort();
        return {
          t,
          count: inBucket.length,
          byVersion: versions.map((version) => ({
            version,
            count: inBucket.filter((r) => r.version === version).length,
          })),
        };
      });
    };

    it('counts a bucket per minute, empty ones included, with the count of each version', async () => {
      const first = Math.floor(stored[0].ms / MINUTE) * MINUTE;
      const w = {
        model: MODEL,
        from: new Date(first - 2 * MINUTE),
        to: new Date(stored[stored.length - 1].ms + 2 * MINUTE),
      };
      const counts = await reader.counts(w, 'minute');
      const want = countsOf(w, MINUTE);
      expect(counts).toEqual(want.map((c) => ({ start: new Date(c.t), count: c.count, byVersion: c.byVersion })));
      expect(counts.length).toBeGreaterThanOrEqual(5);
      expect(counts[0]).toEqual({ start: new Date(first - 2 * MINUTE), count: 0, byVersion: [] });
      expect(counts.reduce((n, c) => n + c.count, 0)).toBe(8);
      const versions = counts.flatMap((c) => c.byVersion!);
      expect([1, 2].map((v) => versions.filter((x) => x.version === v).reduce((n, x) => n + x.count, 0))).toEqual([
        6, 2,
      ]);
    });

    it('counts only inside the window (partial first bucket), and per version only when no version is named', async () => {
      const from = stored.find((s) => s.id === requests[2][0])!.ms;
      const w = { model: MODEL, version: 1, from: new Date(from), to: whole().to };
      const counts = await reader.counts(w, 'hour');
      expect(counts).toEqual(countsOf(w, 3_600_000).map((c) => ({ start: new Date(c.t), count: c.count })));
      expect(counts.reduce((n, c) => n + c.count, 0)).toBe(5);
      const canary = await reader.counts({ ...whole(), alias: 'canary' }, 'hour');
      expect(canary.reduce((n, c) => n + c.count, 0)).toBe(1);
    });

    it('puts day buckets on UTC midnights', async () => {
      const w = { model: MODEL, from: new Date(stored[0].ms - 3 * DAY), to: new Date(stored[0].ms + DAY) };
      const counts = await reader.counts(w, 'day');
      expect(counts.map((c) => [c.start, c.count])).toEqual(countsOf(w, DAY).map((c) => [new Date(c.t), c.count]));
      expect(counts.every((c) => c.start.toISOString().endsWith('T00:00:00.000Z'))).toBe(true);
      expect(counts.reduce((n, c) => n + c.count, 0)).toBe(8);
    });
  });

  describe('refuses bad reads, naming the field', () => {
    // A day with no predictions: what a valid read here returns is empty.
    const now = Date.UTC(2020, 0, 1, 12);
    const at = (ms: number) => new Date(now + ms);
    const refused = (read: Promise<unknown>, field: string) =>
      expect(read).rejects.toMatchObject({
        code: InferenceErrorCode.INVALID_LOG_READ,
        message: 'Invalid prediction log read',
        details: [expect.objectContaining({ field })],
      });

    it('a window that ends before it starts, is empty, too long, or not dates', async () => {
      await refused(reader.records({ model: MODEL, from: at(0), to: at(-1) }), 'to');
      await refused(reader.records({ model: MODEL, from: at(0), to: at(0) }), 'to');
      await refused(reader.labelled({ model: MODEL, from: at(0), to: at(31 * DAY + 1) }), 'to');
      await refused(reader.counts({ model: MODEL, from: new Date('nope'), to: at(0) }, 'day'), 'from');
      await expect(reader.records({ model: MODEL, from: at(0), to: at(31 * DAY) })).resolves.toMatchObject({
        items: [],
      });
    });

    it('a bad model, version or alias', async () => {
      await refused(reader.records({ model: '', from: at(0), to: at(1) }), 'model');
      await refused(reader.records({ model: MODEL, version: 0, from: at(0), to: at(1) }), 'version');
      await refused(reader.counts({ model: MODEL, version: 1.5, from: at(0), to: at(1) }, 'hour'), 'version');
      await refused(reader.labelled({ model: MODEL, alias: '', from: at(0), to: at(1) }), 'alias');
    });

    it('a page size out of bounds, or a cursor not made by a page', async () => {
      const w = { model: MODEL, from: at(-DAY), to: at(1) };
      await refused(reader.records(w, { limit: 0 }), 'limit');
      await refused(reader.records(w, { limit: 10_001 }), 'limit');
      await refused(reader.labelled(w, { limit: 2.5 }), 'limit');
      await refused(reader.records(w, { after: `1_${randomUUID()}'; --` }), 'after');
      await refused(reader.records(w, { after: 'x' }), 'after');
      await expect(reader.records(w, { limit: 10_000 })).resolves.toMatchObject({ next: null });
    });

    it('an unknown bucket, or more buckets than a read may return', async () => {
      await refused(reader.counts({ model: MODEL, from: at(-DAY), to: at(0) }, 'week' as never), 'bucket');
      await refused(reader.counts({ model: MODEL, from: at(-2 * DAY), to: at(0) }, 'minute'), 'bucket');
      await expect(
        reader.counts(
          {
            model: MODEL,
            from: new Date(Math.floor(now / DAY) * DAY),
            to: new Date(Math.floor(now / DAY) * DAY + DAY),
          },
          'minute',
        ),
      ).resolves.toHaveLength(1440);
    });
  });
});
