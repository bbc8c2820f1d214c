import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { mulberry32, shuffleInPlace, type CellValue } from '../../src/ml';
import { AlertEvaluator, BucketRecorder, WindowJob } from '../../src/monitoring';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startReceiver, type ReceivedDelivery } from '../support/webhook-receiver';

type Values = Record<string, CellValue>;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const SECRET = 'windows-webhook-secret-0123456789';
const FEATURES = 13;

function validSignature(d: ReceivedDelivery): boolean {
  const timestamp = String(d.headers['x-mlapi-timestamp']);
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${d.body}`).digest('hex')}`);
  const given = Buffer.from(String(d.headers['x-mlapi-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface Series {
  version: number;
  column: string;
  statistic: string;
  points: {
    from: string;
    to: string;
    value: number | null;
    verdict: string | null;
    threshold: number | null;
    details: any;
  }[];
}

/**
 * The window job on the real stack: undrifted credit traffic, then Income and Amount shifted with
 * an unseen Home, then undrifted again. Each phase's buckets are aged to an hour of their own (the
 * job and the evaluator take their `now`), so three windows an hour apart are computed from real
 * buckets without waiting; everything is read back through the HTTP endpoints, and a drift rule
 * fires at a local webhook receiver and resolves.
 */
describe('monitoring windows: drift, data quality and estimated quality as stored series and endpoints', () => {
  let t: TestApp;
  let consumer: Http;
  let scientist: Http;
  let admin: Http;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let traffic: Values[];
  // Five minutes before an hour ends, so each phase's hour-aligned window has ended and been
  // flushed when the job runs: it writes that window too, beside its sliding one.
  const minute = Math.floor(Date.now() / HOUR) * HOUR - 5 * MINUTE;
  const alignedEnd = (phase: number) => new Date(minute - ago[phase] + 5 * MINUTE);
  // Phase k's traffic is moved to `minute - ago[k]`; the job (whose window ends a grace of two
  // flush intervals, 20 min here, before its `now`) and the evaluator run 30 minutes after it.
  const ago = [4 * HOUR, 2 * HOUR, 0];
  const at = (phase: number) => new Date(minute - ago[phase] + 30 * MINUTE);
  const range = (phase: number) =>
    `from=${new Date(minute - ago[phase] - HOUR / 2).toISOString()}&to=${new Date(minute - ago[phase] + HOUR / 2).toISOString()}`;

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestApp({
      INFERENCE_LOG_FLUSH_MS: '600000',
      MONITORING_WINDOW_INTERVAL_MS: String(HOUR),
      ALERT_EVALUATION_INTERVAL_MS: String(HOUR),
      ALERT_RULES_DEFAULT: 'none',
      ALERT_WEBHOOKS: `json=${receiver.url}`,
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    consumer = new Http(t.baseUrl, await tokenFor(t, 'consumer'));
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    admin = new Http(t.baseUrl, await tokenFor(t, 'admin'));
    const data = creditData();
    const records = shuffleInPlace([...data.records], mulberry32(11));
    const bundle = await trainCreditBundle({ ...data, records: records.slice(0, 2500) }, 1, 3, 'logistic');
    expect(await registerBundle(t.app, 'credit', bundle)).toBe(1);
    await moveAlias(t.app, 'credit', 'production', 1);
    traffic = records.slice(2500, 4000).map(featuresOf);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  /** Sends one phase's rows, writes its buckets and ages them to the phase's hour. */
  const phase = async (k: number, rows: Values[]) => {
    for (let i = 0; i < rows.length; i += 100) {
      const res = await consumer.post('/models/credit/predict', { instances: rows.slice(i, i + 100) });
      expect(res.status).toBe(200);
    }
    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);
    await t.app
      .get(DataSource)
      .query(
        `UPDATE monitoring.buckets SET minute = $1::timestamptz - (date_trunc('minute', now()) - minute) WHERE minute > $2`,
        [new Date(minute - ago[k]), new Date(minute - HOUR)],
      );
    const summary = await t.app.get(WindowJob).run(at(k));
    // The sliding window, and the aligned hour holding the phase's traffic (once: a rerun owes none).
    expect(summary).toMatchObject({ versions: 1, failed: [], aligned: { windows: 1 } });
    expect(await t.app.get(WindowJob).run(at(k))).toMatchObject({ aligned: { windows: 0, rows: 0 } });
  };
  const drift = async (k: number, query = '') => {
    const res = await scientist.get<{ series: Series[] }>(
      `/monitoring/models/credit/drift?${range(k)}&statistic=drift${query}`,
    );
    expect(res.status).toBe(200);
    return res.body.series;
  };
  const drifted = (series: Series[]) =>
    series
      .filter((s) => s.column !== '' && s.column !== '@prediction' && s.points.at(-1)!.verdict === 'drift')
      .map((s) => s.column);
  const verdictOf = (series: Series[], column: string) =>
    series.find((s) => s.column === column)!.points.at(-1)!.verdict;
  const shifted = () =>
    traffic.map((r, i) => ({
      ...r,
      Income: typeof r.Income === 'number' ? Math.round(r.Income * 1.6) : r.Income,
      Amount: typeof r.Amount === 'number' ? r.Amount + 600 : r.Amount,
      Home: i % 150 === 0 ? 'castle' : r.Home,
    }));

  it('schedules the repeatable job; an alert rule watches the drift of Income', async () => {
    const queue = t.app.get<Queue>(getQueueToken('monitoring-windows'));
    expect((await queue.getRepeatableJobs()).map((r) => [r.name, Number(r.every)])).toEqual([['compute', HOUR]]);
    const rule = await admin.post('/alerts/rules', {
      name: 'credit-drift',
      kind: 'drift_verdict',
      model: 'credit',
      severity: 'warning',
      windowSeconds: 3600,
      forSeconds: 0,
      params: { feature: 'Income' },
    });
    expect(rule.status).toBe(201);
  });

  it('undrifted traffic: every feature and the dataset say no drift, with quality and estimates stored', async () => {
    await phase(0, traffic);
    const series = await drift(0);
    expect(series).toHaveLength(FEATURES + 2);
    expect(drifted(series)).toEqual([]);
    expect(verdictOf(series, '@prediction')).toBe('no_drift');
    const dataset = series.find((s) => s.column === '')!;
    // The aligned hour and the sliding window ending 4 minutes later (the job's `now` less its
    // grace, to the minute): the same traffic, the same rows.
    expect(dataset.points.map((p) => p.to)).toEqual([
      alignedEnd(0).toISOString(),
      new Date(alignedEnd(0).getTime() + 4 * MINUTE).toISOString(),
    ]);
    for (const p of dataset.points)
      expect(p).toMatchObject({ verdict: 'no_drift', threshold: 0.5, details: { evaluated: FEATURES, drifted: 0 } });
    const income = series.find((s) => s.column === 'Income')!.points[0];
    expect(income.details).toMatchObject({
      currentRows: expect.any(Number),
      test: expect.stringMatching(/wasserstein|ks/),
    });
    expect(income.threshold).toBe(income.details.threshold);

    const perf = await scientist.get(`/monitoring/models/credit/performance?${range(0)}`);
    expect(perf.status).toBe(200);
    // Only the aligned window (the one realised quality is computed on); no labels yet: not paired.
    expect(perf.body.windows).toHaveLength(1);
    expect(perf.body).toMatchObject({ windowSeconds: 3600 });
    expect(perf.body.windows[0]).toMatchObject({
      from: new Date(alignedEnd(0).getTime() - HOUR).toISOString(),
      to: alignedEnd(0).toISOString(),
      paired: false,
      realised: {},
    });
    const estimated = perf.body.windows[0].estimated;
    expect(Object.keys(estimated).sort()).toEqual(['accuracy', 'f1', 'precision', 'recall', 'roc_auc']);
    for (const m of Object.values<any>(estimated)) {
      expect(m.value).toBeGreaterThan(0);
      expect(m.lower).toBeLessThanOrEqual(m.value);
      expect(m.upper).toBeGreaterThanOrEqual(m.value);
      expect(m.details).toMatchObject({ method: 'cbpe', n: traffic.length });
    }
    expect((await t.app.get(AlertEvaluator).evaluate(at(0)))?.fired).toEqual([]);
    expect(receiver.received).toHaveLength(0);
  });

  it('drifted traffic: Income and Amount drift, the unseen Home is counted, and the alert reaches the webhook signed', async () => {
    await phase(1, shifted());
    const series = await drift(1);
    expect(drifted(series)).toEqual(['Amount', 'Income']);
    // The model's output moves with them (its positive-class probability against the test split's).
    expect(verdictOf(series, '@prediction')).toBe('drift');
    const home = series.find((s) => s.column === 'Home')!.points[0];
    expect(home.details.unseen).toEqual({ rows: 10, values: [{ value: 'castle', count: 10 }] });
    const quality = await scientist.get(`/monitoring/models/credit/data-quality?${range(1)}&feature=Home`);
    const unknown = (quality.body.series as Series[]).find((s) => s.statistic === 'unknown_category_rate')!;
    expect(unknown.points[0].value).toBeCloseTo(10 / traffic.length, 4);
    const histogram = await scientist.get(`/monitoring/models/credit/features/Income/histogram?${range(1)}&version=1`);
    expect(histogram.status).toBe(200);
    const live = histogram.body.live;
    expect(live.rows + live.missing).toBe(traffic.length);
    expect(histogram.body.edges).toHaveLength(histogram.body.training.counts.length + 1);

    const evaluation = await t.app.get(AlertEvaluator).evaluate(at(1));
    expect(evaluation?.fired).toHaveLength(1);
    await eventually(() => receiver.received.length >= 1, 'the firing delivery');
    const firing = receiver.received[0];
    expect(firing.headers['x-mlapi-event']).toBe('alert.firing');
    expect(validSignature(firing)).toBe(true);
    expect(JSON.parse(firing.body)).toMatchObject({ event: 'firing', alert: { subject: 'credit@v1/Income' } });
  });

  it('undrifted again: no drift, the alert resolves at the webhook, and the latest figures are listed and gauged', async () => {
    await phase(2, traffic);
    expect(drifted(await drift(2))).toEqual([]);
    const evaluation = await t.app.get(AlertEvaluator).evaluate(at(2));
    expect(evaluation?.resolved).toHaveLength(1);
    await eventually(() => receiver.received.length >= 2, 'the resolution delivery');
    expect(receiver.received[1].headers['x-mlapi-event']).toBe('alert.resolved');
    expect(validSignature(receiver.received[1])).toBe(true);

    const models = await scientist.get('/monitoring/models');
    expect(models.body).toEqual([
      {
        name: 'credit',
        versions: [
          expect.objectContaining({ version: 1, aliases: ['production'], drift: 'no_drift', rows: traffic.length }),
        ],
      },
    ]);
    expect(models.body[0].versions[0].estimated.accuracy.lower).toEqual(expect.any(Number));
    const metrics = await admin.get<string>('/metrics');
    expect(metrics.body).toMatch(/^mlapi_drift_verdict\{model="credit",version="1",feature="Income"\} 0$/m);
    expect(metrics.body).toMatch(/^mlapi_drift_dataset_verdict\{model="credit",version="1"\} 0$/m);
    expect(metrics.body).toMatch(/^mlapi_estimated_quality\{model="credit",version="1",metric="accuracy"\} 0\.\d+$/m);
  });

  it('on demand: a window against a baseline window, stored under baseline_ statistics, and clear refusals', async () => {
    const window = (k: number) => ({
      from: new Date(minute - ago[k] - MINUTE),
      to: new Date(minute - ago[k] + MINUTE),
    });
    const vsWindow = await scientist.post('/monitoring/models/credit/drift', { ...window(1), baseline: window(0) });
    expect(vsWindow.status).toBe(200);
    const [v1] = vsWindow.body.versions;
    // Two of 13 features: the dataset (share ≥ 0.5) does not drift.
    expect(v1).toMatchObject({ version: 1, rows: traffic.length, drift: 'no_drift' });
    expect(drifted(v1.results as Series[]).sort()).toEqual(['Amount', 'Income']);
    expect(v1.results.some((s: Series) => s.statistic.startsWith('estimated_'))).toBe(false);
    const same = await scientist.post('/monitoring/models/credit/drift', { ...window(2), baseline: window(0) });
    expect(same.body.versions[0].drift).toBe('no_drift');
    // Stored apart from the training comparison, and read back with against=window.
    expect(drifted(await drift(1, '&against=window'))).toEqual(['Amount', 'Income']);
    expect(drifted(await drift(1))).toEqual(['Amount', 'Income']);

    const now = Date.now();
    const refusals: [object, number, string, string][] = [
      [{ from: new Date(now), to: new Date(now - MINUTE) }, 422, 'monitoring.window_invalid', 'from'],
      [{ from: new Date(now + HOUR), to: new Date(now + 2 * HOUR) }, 422, 'monitoring.window_invalid', 'from'],
      [{ from: new Date(now - 8 * 24 * HOUR), to: new Date(now) }, 422, 'monitoring.window_too_long', 'to'],
      [
        { ...window(1), baseline: { from: new Date(now), to: new Date(now - 1) } },
        422,
        'monitoring.window_invalid',
        'baseline.from',
      ],
      [{ ...window(1), version: 9 }, 404, 'registry.version_not_found', ''],
    ];
    for (const [body, status, code, field] of refusals) {
      const res = await scientist.post('/monitoring/models/credit/drift', body);
      expect([res.status, res.body.code]).toEqual([status, code]);
      if (field) expect(res.body.details[0].field).toBe(field);
    }
    expect((await admin.post('/monitoring/models/credit/drift', { ...window(1) })).status).toBe(200);
    const tooLong = await scientist.post('/monitoring/models/credit/drift', {
      from: new Date(now - 8 * 24 * HOUR),
      to: new Date(now),
    });
    expect(tooLong.body.message).toMatch(/7-day cap/);
    expect((await scientist.post('/monitoring/models/nope/drift', window(1))).body.code).toBe(
      'registry.model_not_found',
    );
    expect((await scientist.get('/monitoring/models/credit/features/Nope/histogram')).body.code).toBe(
      'monitoring.feature_not_found',
    );
  });
});
