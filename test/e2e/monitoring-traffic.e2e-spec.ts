import { DataSource } from 'typeorm';
import type { CellValue } from '../../src/ml/schema';
import { BucketRecorder, BucketRollups, ReplicaCountsRecorder } from '../../src/monitoring';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const MINUTE = 60_000;
const HOUR = 3_600_000;

interface Point {
  t: string;
  requests: number;
  errors: number;
  errorRate: number | null;
  rps: number;
  latencyMs: { p50: number; p95: number; p99: number } | null;
  byVersion: { version: number; alias: string | null; requests: number }[];
  classes: Record<string, number> | null;
  value: { mean: number } | null;
}

/**
 * GET /monitoring/models/{name}/traffic on the real app with real traffic: production, canary,
 * shadow and explicit-version predictions and invalid requests, read back per slot from the
 * buckets and replica counts; an hour from its roll-up equals the same hour from its minutes.
 */
describe('monitoring traffic series', () => {
  let t: TestApp;
  let consumer: Http;
  let scientist: Http;
  let features: Record<string, CellValue>[];
  const answered = new Map<string, number>();
  let invalid = 0;
  const H = Math.floor(Date.now() / HOUR) * HOUR;
  const from = new Date(H - HOUR).toISOString();
  const to = () => new Date(Math.max(Date.now(), H) + 2 * MINUTE).toISOString();

  const predict = async (query = '', i = 0) => {
    const res = await consumer.post(`/models/credit/predict${query}`, { features: features[i % features.length] });
    expect(res.status).toBe(200);
    const key = `${res.body.version}|${res.body.alias ?? ''}`;
    answered.set(key, (answered.get(key) ?? 0) + 1);
    return res.body as { alias: string | null; version: number };
  };
  const total = () => [...answered.values()].reduce((a, b) => a + b, 0);
  const flush = async () => {
    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);
    await t.app.get(ReplicaCountsRecorder).flush();
  };
  const traffic = async (query: string) => {
    const res = await scientist.get(`/monitoring/models/credit/traffic?${query}`);
    expect(res.status).toBe(200);
    return res.body as { model: string; from: string; to: string; slotSeconds: number; points: Point[] };
  };
  const sumOf = (points: Point[], f: (p: Point) => number) => points.reduce((a, p) => a + f(p), 0);
  const byVersion = (points: Point[]) => {
    const out = new Map<string, number>();
    for (const p of points)
      for (const v of p.byVersion)
        out.set(`${v.version}|${v.alias ?? ''}`, (out.get(`${v.version}|${v.alias ?? ''}`) ?? 0) + v.requests);
    return out;
  };

  beforeAll(async () => {
    t = await startTestApp({
      INFERENCE_CANARY: 'credit=0.5',
      INFERENCE_SHADOW: 'credit',
      // Written when the test asks: what each read sees is what was flushed.
      INFERENCE_LOG_FLUSH_MS: '600000',
      ALERT_COUNTS_FLUSH_MS: '600000',
      INFERENCE_ALIAS_TTL_MS: '600000',
    });
    consumer = new Http(t.baseUrl).as(await tokenFor(t, 'consumer'));
    scientist = new Http(t.baseUrl).as(await tokenFor(t, 'scientist'));
    const data = creditData(400);
    features = data.records.slice(0, 50).map(featuresOf);
    for (const seed of [1, 2, 3]) await registerBundle(t.app, 'credit', await trainCreditBundle(data, seed, 2));
    await moveAlias(t.app, 'credit', 'production', 1);
    await moveAlias(t.app, 'credit', 'canary', 2);
    await moveAlias(t.app, 'credit', 'shadow', 3);
  });
  afterAll(() => t?.close());

  it('counts callers’ predictions per slot, by version and alias with canary and shadow, errors and latency', async () => {
    const deadline = Date.now() + 5000;
    while ((await predict()).alias !== 'canary' && Date.now() < deadline);
    for (let i = 0; i < 60; i++) await predict('', i);
    for (let i = 0; i < 5; i++) await predict('?version=1', i);
    for (let i = 0; i < 4; i++) {
      const res = await consumer.post('/models/credit/predict', { features: { ...features[i], Income: 'plenty' } });
      expect(res.status).toBe(422);
      invalid++;
    }
    expect(answered.get('1|production')).toBeGreaterThan(0);
    expect(answered.get('2|canary')).toBeGreaterThan(0);
    // Shadow scoring runs after each answer: read until all of it is counted.
    let page = await traffic(`from=${from}&to=${to()}&points=120`);
    for (const end = Date.now() + 10_000; Date.now() < end;) {
      await flush();
      page = await traffic(`from=${from}&to=${to()}&points=120`);
      if ((byVersion(page.points).get('3|shadow') ?? 0) >= total()) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const { points } = page;
    expect(page.model).toBe('credit');
    expect(sumOf(points, (p) => p.requests)).toBe(total());
    expect(byVersion(points)).toEqual(new Map([...answered, ['3|shadow', total()]]));
    expect(sumOf(points, (p) => p.errors)).toBe(invalid);
    // Every class counted once per caller's prediction; the shadow's are not among them.
    expect(sumOf(points, (p) => Object.values(p.classes!).reduce((a, b) => a + b, 0))).toBe(total());
    for (const p of points) expect(Object.keys(p.classes!).every((c) => c === 'good' || c === 'bad')).toBe(true);
    const busy = points.filter((p) => p.requests > 0);
    expect(busy.length).toBeGreaterThan(0);
    for (const p of busy) {
      expect(p.latencyMs!.p50).toBeGreaterThan(0);
      expect(p.latencyMs!.p50).toBeLessThanOrEqual(p.latencyMs!.p95);
      expect(p.latencyMs!.p95).toBeLessThanOrEqual(p.latencyMs!.p99);
      expect(p.rps).toBeCloseTo(p.requests / page.slotSeconds, 3);
      expect(p.value).toBeNull();
    }
    for (const p of points.filter((x) => x.requests === 0 && x.errors === 0))
      expect(p).toMatchObject({ latencyMs: null, errorRate: null, byVersion: [] });
    const withErrors = points.filter((p) => p.errors > 0);
    for (const p of withErrors) expect(p.errorRate).toBeCloseTo(p.errors / (p.requests + p.errors), 3);
  });

  it('answers aligned slots of whole minutes covering the range, at most `points`', async () => {
    const page = await traffic(`from=${new Date(H - HOUR + 17_000).toISOString()}&to=${to()}&points=37`);
    expect(page.slotSeconds % 60).toBe(0);
    expect(page.points.length).toBeLessThanOrEqual(37);
    const slot = page.slotSeconds * 1000;
    const starts = page.points.map((p) => Date.parse(p.t));
    expect(starts[0]).toBe(Date.parse(page.from));
    // The slot holding `from`, unless that would make more than `points` (then less than a slot after it).
    expect(Math.abs(starts[0] - (H - HOUR + 17_000))).toBeLessThan(slot);
    starts.forEach((s, i) => expect([s % slot, s - starts[0]]).toEqual([0, i * slot]));
    expect(starts[starts.length - 1] + slot).toBeGreaterThanOrEqual(Date.parse(page.to));
    expect(sumOf(page.points, (p) => p.requests)).toBe(total());
    // Defaults: the last hour in 60 one-minute slots.
    const last = await traffic('');
    expect(last.slotSeconds).toBe(60);
    expect(last.points.length).toBe(60);
    expect(Date.parse(last.points[59].t)).toBe(Math.floor(Date.parse(last.to) / MINUTE) * MINUTE);
  });

  it('an hour read from its roll-up equals the same hour from its minutes', async () => {
    const hour = `from=${new Date(H).toISOString()}&to=${new Date(H + HOUR).toISOString()}`;
    const minutes = await traffic(`${hour}&points=60`);
    const fromMinutes = await traffic(`${hour}&points=1`);
    expect(fromMinutes.slotSeconds).toBe(3600);
    // As the window job would after the hour ends.
    expect((await t.app.get(BucketRollups).rollUp(new Date(H + 2 * HOUR))).rolled).toBeGreaterThanOrEqual(4);
    const rolled = await traffic(`${hour}&points=1`);
    expect(rolled).toEqual(fromMinutes);
    const [p] = rolled.points;
    expect(p.requests).toBe(sumOf(minutes.points, (x) => x.requests));
    expect(p.errors).toBe(sumOf(minutes.points, (x) => x.errors));
    expect(byVersion(rolled.points)).toEqual(byVersion(minutes.points));
    expect(p.latencyMs).not.toBeNull();
    // And the roll-up is what was read: a changed roll-up shows.
    await t.app
      .get(DataSource)
      .query(
        `UPDATE monitoring.buckets_hourly SET payload = jsonb_set(payload, '{rows}', to_jsonb((payload->>'rows')::int + 1000)) WHERE version = 1 AND alias = 'production' AND hour = $1`,
        [new Date(H)],
      );
    expect((await traffic(`${hour}&points=1`)).points[0].requests).toBe(p.requests + 1000);
  });

  it('refuses bad input with the module’s errors, an unknown model with 404, and consumers', async () => {
    const bad = async (query: string, status: number, code: string) => {
      const res = await scientist.get(`/monitoring/models/credit/traffic?${query}`);
      expect([res.status, res.body.code]).toEqual([status, code]);
    };
    await bad('points=0', 422, 'common.validation_failed');
    await bad('points=501', 422, 'common.validation_failed');
    await bad('points=two', 422, 'common.validation_failed');
    await bad('from=yesterday', 422, 'common.validation_failed');
    await bad(
      `from=${new Date(H).toISOString()}&to=${new Date(H - MINUTE).toISOString()}`,
      422,
      'monitoring.window_invalid',
    );
    await bad(
      `from=${new Date(H - 40 * 24 * HOUR).toISOString()}&to=${new Date(H).toISOString()}`,
      422,
      'monitoring.window_too_long',
    );
    const unknown = await scientist.get('/monitoring/models/nope/traffic');
    expect(unknown.status).toBe(404);
    expect((await consumer.get('/monitoring/models/credit/traffic')).status).toBe(403);
  });
});
