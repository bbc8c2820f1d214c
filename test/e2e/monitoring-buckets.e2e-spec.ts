import { DataSource } from 'typeorm';
import { binIndex, mulberry32, shuffleInPlace, type CellValue, type ReferenceProfile } from '../../src/ml';
import { BucketRecorder, bucketDrift, MonitoringBuckets } from '../../src/monitoring';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { replicaOf } from '../support/replica';
import { startTestApp, type TestApp } from '../support/test-app';

type Values = Record<string, CellValue>;

/**
 * Predictions through the real app land in monitoring.buckets; two replicas' buckets add up; the
 * drift of a window computed from the summed buckets finds no drift on undrifted credit rows and
 * drift on Income and Amount when they are shifted (and counts an unseen Home).
 */
describe('monitoring buckets', () => {
  let t: TestApp;
  let http: Http;
  let token: string;
  let profile: ReferenceProfile;
  let traffic: Values[];
  const started = new Date(Math.floor(Date.now() / 60_000) * 60_000);

  beforeAll(async () => {
    // Flushes only when asked or at shutdown: what each step writes is its own doing.
    t = await startTestApp({ INFERENCE_LOG_FLUSH_MS: '600000' });
    token = await tokenFor(t, 'consumer');
    http = new Http(t.baseUrl, token);
    // Shuffled: the file is not in random order, so its first rows are not like the others.
    const data = creditData();
    const records = shuffleInPlace([...data.records], mulberry32(11));
    const bundle = await trainCreditBundle({ ...data, records: records.slice(0, 2500) }, 1, 3, 'logistic');
    profile = (JSON.parse(bundle.toString('utf8')) as { referenceProfile: ReferenceProfile }).referenceProfile;
    // v1 gets the undrifted traffic (production), v2, the same bundle, the drifted one.
    expect(await registerBundle(t.app, 'credit', bundle)).toBe(1);
    expect(await registerBundle(t.app, 'credit', bundle)).toBe(2);
    await moveAlias(t.app, 'credit', 'production', 1);
    traffic = records.slice(2500, 4000).map(featuresOf);
  });
  afterAll(() => t?.close());

  const send = async (client: Http, rows: Values[], query = '') => {
    for (let i = 0; i < rows.length; i += 100) {
      const res = await client.post(`/models/credit/predict${query}`, { instances: rows.slice(i, i + 100) });
      expect(res.status).toBe(200);
    }
  };
  const window = (version: number) =>
    t.app.get(MonitoringBuckets).sum({ model: 'credit', version, from: started, to: new Date(Date.now() + 120_000) });
  const stored = async () =>
    (await t.app.get(DataSource).query<{ n: number }[]>('SELECT count(*)::int AS n FROM monitoring.buckets'))[0].n;

  it('buckets of two replicas, one flushed by its shutdown, add up to every prediction', async () => {
    const replica = await replicaOf(t);
    const other = replica.http.as(token);
    await send(http, traffic.slice(0, 800));
    await send(other, traffic.slice(800));
    expect(await stored()).toBe(0);
    // A replica that stops writes its open minute; the first app writes when asked.
    await replica.close();
    const afterShutdown = await stored();
    expect(afterShutdown).toBeGreaterThanOrEqual(1);
    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);
    expect(await stored()).toBeGreaterThan(afterShutdown);

    const [v1] = await window(1);
    expect(v1.aggregate.rows).toBe(traffic.length);
    expect(v1.buckets).toBeGreaterThanOrEqual(2);
    // The counts are those of the records sent, on the reference's bins.
    const income = profile.features.find((f) => f.name === 'Income')!.profile;
    if (income.kind !== 'numeric' || !income.histogram) throw new Error('Income has bins');
    const edges = income.histogram.edges;
    const expected = new Array<number>(edges.length - 1).fill(0);
    for (const r of traffic) {
      const bin = typeof r.Income === 'number' ? binIndex(edges, r.Income) : -2;
      if (bin >= 0 && bin < expected.length) expected[bin]++;
    }
    expect(v1.aggregate.numeric.find((n) => n.name === 'Income')!.counts).toEqual(expected);
    expect(v1.aggregate.prediction.classes.reduce((a, b) => a + b, 0)).toBe(traffic.length);
  });

  it('undrifted credit rows: no feature drifts', async () => {
    const [v1] = await window(1);
    const report = bucketDrift(v1.aggregate, profile);
    expect(report.columns.filter((c) => c.drift.drifted).map((c) => c.name)).toEqual([]);
    expect(report.dataset).toMatchObject({ evaluated: 13, drifted: 0, drift: false });
  });

  it('Income and Amount shifted, an unseen Home: those two drift, and the unseen value is counted', async () => {
    const shifted = traffic.map((r, i) => ({
      ...r,
      Income: typeof r.Income === 'number' ? Math.round(r.Income * 1.6) : r.Income,
      Amount: typeof r.Amount === 'number' ? r.Amount + 600 : r.Amount,
      Home: i % 150 === 0 ? 'castle' : r.Home,
    }));
    await send(http, shifted, '?version=2');
    await t.app.get(BucketRecorder).flush(true);
    const [v2] = await window(2);
    expect(v2.aggregate.rows).toBe(shifted.length);
    const report = bucketDrift(v2.aggregate, profile);
    expect(report.columns.filter((c) => c.drift.drifted).map((c) => c.name)).toEqual(['Income', 'Amount']);
    const home = report.columns.find((c) => c.name === 'Home')!;
    expect(home.drift.unseen).toEqual({ rows: 10, values: [{ value: 'castle', count: 10 }] });
    // v1's window is unchanged: buckets are per version.
    expect((await window(1))[0].aggregate.rows).toBe(traffic.length);
  });

  it('a window by alias reads the versions it served; a window outside the traffic is empty', async () => {
    const byAlias = await t.app
      .get(MonitoringBuckets)
      .sum({ model: 'credit', alias: 'production', from: started, to: new Date(Date.now() + 120_000) });
    expect(byAlias.map((s) => [s.version, s.aggregate.rows])).toEqual([[1, traffic.length]]);
    const before = new Date(started.getTime() - 3_600_000);
    expect(await t.app.get(MonitoringBuckets).sum({ model: 'credit', version: 1, from: before, to: started })).toEqual(
      [],
    );
  });
});
