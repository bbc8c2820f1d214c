import { DataSource } from 'typeorm';
import { PredictionLog } from '../../src/inference';
import { mulberry32, shuffleInPlace, type CellValue } from '../../src/ml';
import { BucketRecorder } from '../../src/monitoring';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

type Values = Record<string, CellValue>;
const MINUTE = 60_000;

/** Numbers to 12 significant digits: the buckets add per-minute sums, the log adds row by row. */
function rounded(x: unknown): unknown {
  if (typeof x === 'number') return Number(x.toPrecision(12));
  if (Array.isArray(x)) return x.map(rounded);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rounded(v)]));
  return x;
}

/**
 * `POST /monitoring/models/{name}/drift` with `source: log` on the real stack: production and canary
 * traffic (half of it shifted, with an unseen Home) is logged and bucketed, both
 * flushed, and the same minute-aligned window computed from each source must give the same counts
 * and statistics (the log is not sampled here); with the window's buckets deleted, the log alone
 * still gives them.
 */
describe('monitoring windows recomputed from the raw prediction log', () => {
  let t: TestApp;
  let consumer: Http;
  let scientist: Http;
  let window: { from: Date; to: Date };
  let sent = 0;

  beforeAll(async () => {
    t = await startTestApp({
      INFERENCE_CANARY: 'credit=0.4',
      INFERENCE_LOG_FLUSH_MS: '600000',
      INFERENCE_ALIAS_TTL_MS: '600000',
    });
    consumer = new Http(t.baseUrl, await tokenFor(t, 'consumer'));
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    const data = creditData();
    const records = shuffleInPlace([...data.records], mulberry32(5));
    for (const seed of [1, 2])
      await registerBundle(
        t.app,
        'credit',
        await trainCreditBundle({ ...data, records: records.slice(0, 1500) }, seed, 2, 'logistic'),
      );
    await moveAlias(t.app, 'credit', 'production', 1);
    await moveAlias(t.app, 'credit', 'canary', 2);
    const traffic: Values[] = records.slice(1500, 2700).map(featuresOf);
    const shifted = traffic.map((r, i) =>
      i % 2
        ? {
            ...r,
            Income: typeof r.Income === 'number' ? r.Income * 2 : r.Income,
            Home: i % 50 === 1 ? 'castle' : r.Home,
          }
        : r,
    );
    const from = Math.floor(Date.now() / MINUTE) * MINUTE;
    for (let i = 0; i < shifted.length; i += 20) {
      const res = await consumer.post('/models/credit/predict', { instances: shifted.slice(i, i + 20) });
      expect(res.status).toBe(200);
      sent += res.body.predictions.length;
    }
    expect(await t.app.get(PredictionLog).flush()).toBe(true);
    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);
    window = { from: new Date(from), to: new Date((Math.floor(Date.now() / MINUTE) + 1) * MINUTE) };
  });
  afterAll(() => t?.close());

  const compute = (body: object) => scientist.post('/monitoring/models/credit/drift', { ...window, ...body });

  it("the log gives the buckets' counts and statistics for every version of the same window", async () => {
    const buckets = await compute({});
    const log = await compute({ source: 'log' });
    expect([buckets.status, log.status]).toEqual([200, 200]);
    expect(buckets.body.source).toBe('buckets');
    expect(buckets.body.logSampleRate).toBeUndefined();
    expect(log.body).toMatchObject({ source: 'log', logSampleRate: 1 });
    const versions = (b: any) => b.versions.map((v: any) => v.version);
    expect(versions(log.body)).toEqual([1, 2]);
    expect(versions(buckets.body)).toEqual([1, 2]);
    const rows = log.body.versions.map((v: any) => v.rows);
    expect(rows[0] + rows[1]).toBe(sent);
    expect(rows.every((n: number) => n > 100)).toBe(true);
    for (const [i, v] of log.body.versions.entries()) {
      const b = buckets.body.versions[i];
      expect(v).toMatchObject({ rows: b.rows, bucketRows: b.rows, buckets: 0, drift: b.drift });
      expect(b.buckets).toBeGreaterThan(0);
      expect(b.bucketRows).toBeUndefined();
      expect(rounded(v.results)).toEqual(rounded(b.results));
      // Not an empty comparison: every feature, the prediction, the dataset and the estimates.
      expect(v.results.length).toBeGreaterThan(13 * 5);
      expect(v.results.some((s: any) => s.statistic === 'estimated_accuracy' && s.points[0].value > 0)).toBe(true);
    }
    const home = log.body.versions[0].results.find((s: any) => s.column === 'Home' && s.statistic === 'drift');
    expect(home.points[0].details.unseen.values[0].value).toBe('castle');
  });

  it('against a baseline window, from the log as well; and one version', async () => {
    const earlier = { from: new Date(window.from.getTime() - 10 * MINUTE), to: window.from };
    const baseline = { from: window.from, to: window.to };
    const buckets = await compute({ version: 2, baseline });
    const log = await compute({ version: 2, baseline, source: 'log' });
    expect([buckets.status, log.status]).toEqual([200, 200]);
    expect(log.body.versions).toHaveLength(1);
    expect(rounded(log.body.versions[0].results)).toEqual(rounded(buckets.body.versions[0].results));
    expect(log.body.versions[0].drift).toBe('no_drift');
    // An empty stretch of log before the traffic: no version, as with the buckets.
    const none = await scientist.post('/monitoring/models/credit/drift', { ...earlier, source: 'log' });
    expect(none.body.versions).toEqual([]);
  });

  it('with the buckets of the window lost, the log still recomputes it and says the buckets counted none', async () => {
    const before = await compute({ source: 'log' });
    await t.app
      .get(DataSource)
      .query(`DELETE FROM monitoring.buckets WHERE model = 'credit' AND minute >= $1 AND minute < $2`, [
        window.from,
        window.to,
      ]);
    expect((await compute({})).body.versions).toEqual([]);
    const after = await compute({ source: 'log' });
    expect(after.body.versions.map((v: any) => [v.rows, v.bucketRows])).toEqual(
      before.body.versions.map((v: any) => [v.rows, 0]),
    );
    expect(rounded(after.body.versions.map((v: any) => v.results))).toEqual(
      rounded(before.body.versions.map((v: any) => v.results)),
    );
  });

  it('refuses an unknown source, naming the field', async () => {
    const res = await compute({ source: 'raw' });
    expect(res.status).toBe(422);
    expect(res.body.details.map((d: any) => d.field)).toContain('source');
  });
});
