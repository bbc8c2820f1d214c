import type { INestApplicationContext } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { ModelCache } from '../../src/inference/serving/model-cache.service';
import type { CellValue } from '../../src/ml/schema';
import { AlertEvaluator, ReplicaCountsRecorder } from '../../src/monitoring';
import type { AlertRuleEntity } from '../../src/monitoring/alerts/alert-rule.entity';
import { LatencySignal } from '../../src/monitoring/alerts/signals/latency.signal';
import { BucketRecorder } from '../../src/monitoring/buckets/bucket-recorder.service';
import { latencyBin, latencyEdge } from '../../src/monitoring/buckets/latency-histogram';
import { tokenFor } from '../support/auth';
import { Http, type JsonResponse } from '../support/http';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { parsePrometheusText } from '../support/prometheus-text';
import { replicaOf } from '../support/replica';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startReceiver } from '../support/webhook-receiver';

const HOUR = 3_600_000;
/** How long the slowed model takes per call: far above a predict's few ms, far below a test's patience. */
const SLOW_MS = 60;

type Replica = Awaited<ReturnType<typeof replicaOf>>;

/** A latency rule as the evaluator hands it to its signal (the fields the signal reads). */
const latencyRule = (model: string | null, params: { thresholdMs: number; minRequests: number }) =>
  ({ kind: 'latency_p99', model, params }) as unknown as AlertRuleEntity;

/**
 * The error-rate, p99-latency and log-drop rules on the real stack: predictions through two
 * replicas' HTTP APIs, each replica's counts added by its ReplicaCountsRecorder to
 * monitoring.replica_counts, latency from the monitoring buckets, one evaluation driven by the test.
 */
describe('alert signals: error rate across replicas, p99 latency, prediction-log drops', () => {
  let t: TestApp;
  let b: Replica;
  let admin: Http;
  let a: Http;
  let bHttp: Http;
  let evaluator: AlertEvaluator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let features: Record<string, CellValue>;
  let token: string;

  const flushCounts = (...apps: INestApplicationContext[]) =>
    Promise.all(apps.map((app) => app.get(ReplicaCountsRecorder).flush()));
  const rule = async (body: object): Promise<string> => {
    const res = await admin.post('/alerts/rules', { severity: 'warning', windowSeconds: 3600, forSeconds: 0, ...body });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const alertOf = async (ruleId: string) =>
    (await admin.get('/alerts?limit=100')).body.items.filter((x: any) => x.ruleId === ruleId);
  /** Makes every model call of `model@alias` on `app` take `how` (the real served version, its predictor's call replaced). */
  const script = async (app: INestApplicationContext, model: string, how: () => never | void, alias = 'production') => {
    const lease = await app.get(ModelCache).acquire(model, { alias });
    const original = lease.loaded.predictor.predictValues.bind(lease.loaded.predictor);
    const spy = jest.spyOn(lease.loaded.predictor, 'predictValues').mockImplementation((values) => {
      how();
      return original(values);
    });
    lease.release();
    return spy;
  };
  const predict = (http: Http, model: string, body: unknown, query = ''): Promise<JsonResponse> =>
    http.post(`/models/${model}/predict${query}`, body);
  const sendEach = async (http: Http, n: number, model: string, body: unknown, status: number, query = '') => {
    for (let i = 0; i < n; i++) expect((await predict(http, model, body, query)).status).toBe(status);
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestApp({
      ALERT_RULES_DEFAULT: 'none',
      ALERT_EVALUATION_INTERVAL_MS: String(HOUR),
      // The test flushes the recorders itself: what is counted is then exactly what it sent.
      ALERT_COUNTS_FLUSH_MS: String(HOUR),
      ALERT_WEBHOOKS: `json=${receiver.url}`,
      ALERT_WEBHOOK_SECRET: 'signals-webhook-secret-0123456789',
      INFERENCE_LOG_FLUSH_MS: '100',
      INFERENCE_MICROBATCH_WAIT_MS: '0',
    });
    token = await tokenFor(t, 'consumer');
    admin = new Http(t.baseUrl, await tokenFor(t, 'admin'));
    a = new Http(t.baseUrl, token);
    const data = creditData(300);
    const bundle = await trainCreditBundle(data, 1, 2, 'logistic');
    // credit v1 (production) and v2, slow v1 (production).
    for (const model of ['credit', 'slow'])
      await moveAlias(t.app, model, 'production', await registerBundle(t.app, model, bundle));
    await registerBundle(t.app, 'credit', bundle);
    features = featuresOf(data.records[0]);
    b = await replicaOf(t);
    bHttp = b.http.as(token);
    evaluator = t.app.get(AlertEvaluator);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
    await receiver?.close();
  });

  it('error_rate adds both replicas’ counts, honours minRequests, fires, and resolves as the errors leave the window', async () => {
    const withInvalid = await rule({
      name: 'credit-errors-or-refusals',
      kind: 'error_rate',
      model: 'credit',
      params: { threshold: 0.3, minRequests: 20, includeInvalid: true },
    });
    const errorsOnly = await rule({
      name: 'credit-errors',
      kind: 'error_rate',
      model: 'credit',
      params: { threshold: 0.1, minRequests: 20 },
    });
    const invalid = { features: { ...features, Age: 'old' } };
    // Replica B's model throws (as a failing backend would): its requests are answered 5xx, counted `error`.
    const failing = await script(b.app, 'credit', () => {
      throw new Error('tensor backend failed');
    });
    const failures = async (n: number) => {
      for (let i = 0; i < n; i++)
        expect((await predict(bHttp, 'credit', { features })).status).toBeGreaterThanOrEqual(500);
    };

    // 6 ok and 2 refused on A, 2 failed on B: 10 records, fewer than minRequests: nothing concluded.
    await sendEach(a, 6, 'credit', { features }, 200);
    await sendEach(a, 2, 'credit', invalid, 422);
    await failures(2);
    await flushCounts(t.app, b.app);
    expect((await evaluator.evaluate(new Date()))?.fired).toEqual([]);

    // 12 ok and 4 refused on A, 6 failed on B: 22 records, only both replicas together reach 20.
    await sendEach(a, 6, 'credit', { features }, 200);
    await sendEach(a, 2, 'credit', invalid, 422);
    await failures(4);
    await flushCounts(t.app, b.app);
    const ds = t.app.get<DataSource>(getDataSourceToken());
    const replicas = await ds.query(`SELECT DISTINCT replica FROM monitoring.replica_counts WHERE model = 'credit'`);
    expect(replicas).toHaveLength(2);
    const fired = await evaluator.evaluate(new Date());
    expect(fired?.fired).toHaveLength(2);
    const [both] = await alertOf(withInvalid);
    expect(both).toMatchObject({ state: 'firing', subject: 'credit', value: 10 / 22, threshold: 0.3 });
    expect(both.evidence).toMatchObject({
      measured: 'share of records refused or failed',
      comparator: '>',
      records: { ok: 12, invalid: 4, error: 6 },
    });
    const [errors] = await alertOf(errorsOnly);
    expect(errors).toMatchObject({ state: 'firing', value: 6 / 22, threshold: 0.1 });
    expect(errors.evidence.measured).toBe('share of records the model failed on');
    await eventually(
      () => receiver.received.filter((d) => JSON.parse(d.body).alert?.id === both.id).length === 1,
      'the error-rate firing at the webhook',
    );
    expect(JSON.parse(receiver.received.find((d) => JSON.parse(d.body).alert?.id === both.id)!.body)).toMatchObject({
      event: 'firing',
      alert: { id: both.id, value: 10 / 22 },
    });

    // B recovers and answers 20 more: 42 records, 10 refused or failed (0.24 < 0.3), 6 failed (0.14 > 0.1).
    failing.mockRestore();
    await sendEach(bHttp, 20, 'credit', { features }, 200);
    await flushCounts(t.app, b.app);
    expect((await evaluator.evaluate(new Date()))?.resolved).toEqual([both.id]);
    const resolved = (await admin.get(`/alerts/${both.id}`)).body;
    expect(resolved.state).toBe('resolved');
    expect(resolved.evidence.resolvedWith.records).toEqual({ ok: 32, invalid: 4, error: 6 });
    expect((await admin.get(`/alerts/${errors.id}`)).body).toMatchObject({ state: 'firing', value: 6 / 42 });

    // Two hours on, the window holds none of these minutes: the failures-only alert resolves too.
    expect((await evaluator.evaluate(new Date(Date.now() + 2 * HOUR)))?.resolved).toEqual([errors.id]);
    for (const id of [withInvalid, errorsOnly]) await admin.delete(`/alerts/rules/${id}`);
  });

  it('error_rate counts the records of a request answered 503 because its version cannot be loaded', async () => {
    await moveAlias(
      t.app,
      'fragile',
      'production',
      await registerBundle(t.app, 'fragile', Buffer.from('{"formatVersion": 99}')),
    );
    const id = await rule({
      name: 'fragile-errors',
      kind: 'error_rate',
      model: 'fragile',
      params: { threshold: 0.5, minRequests: 5 },
    });
    await sendEach(a, 2, 'fragile', { features }, 503);
    await sendEach(a, 1, 'fragile', { instances: [features, features, features] }, 503);
    const metrics = parsePrometheusText((await admin.get('/metrics')).body as string);
    expect(
      metrics.sum('mlapi_predictions_total', { model: 'fragile', version: '1', alias: 'production', outcome: 'error' }),
    ).toBe(5);
    await flushCounts(t.app);
    expect((await evaluator.evaluate(new Date()))?.fired).toHaveLength(1);
    const [alert] = await alertOf(id);
    expect(alert).toMatchObject({ state: 'firing', subject: 'fragile', value: 1 });
    expect(alert.evidence.records).toEqual({ ok: 0, invalid: 0, error: 5 });
    await admin.delete(`/alerts/rules/${id}`);
  });

  it('a replica counts every record of a model whose versions take turns in its cache (their series removed and made again)', async () => {
    // Room for one version: each request for the other evicts the one loaded, and its Prometheus series with it.
    const c = await replicaOf(t, { INFERENCE_CACHE_SIZE: 1 });
    try {
      const http = c.http.as(token);
      const recorder = c.app.get(ReplicaCountsRecorder);
      const ds = t.app.get<DataSource>(getDataSourceToken());
      const counted = async () => {
        await recorder.flush();
        const [row] = await ds.query(
          `SELECT coalesce(sum(value), 0)::int AS ok FROM monitoring.replica_counts
           WHERE replica = $1 AND model = 'credit' AND counter = 'predictions_ok'`,
          [recorder.replica],
        );
        return row.ok as number;
      };
      await sendEach(http, 3, 'credit', { features }, 200, '?version=1');
      expect(await counted()).toBe(3);
      await sendEach(http, 2, 'credit', { features }, 200, '?version=2');
      expect(await counted()).toBe(5);
      await sendEach(http, 1, 'credit', { features }, 200, '?version=1');
      expect(await counted()).toBe(6);
    } finally {
      await c.close();
    }
  });

  it('shadow scoring is no caller request: a failing shadow leaves the error-rate counts as the callers saw them', async () => {
    await moveAlias(t.app, 'credit', 'shadow', 2);
    const s = await replicaOf(t, { INFERENCE_SHADOW: 'credit' });
    try {
      await script(
        s.app,
        'credit',
        () => {
          throw new Error('shadow backend failed');
        },
        'shadow',
      );
      await sendEach(s.http.as(token), 5, 'credit', { features }, 200);
      const shadowErrors = async () =>
        parsePrometheusText((await s.http.as(await tokenFor(t, 'admin')).get('/metrics')).body as string).sum(
          'mlapi_predictions_total',
          { alias: 'shadow', outcome: 'error' },
        );
      for (let i = 0; i < 100 && (await shadowErrors()) < 5; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await shadowErrors()).toBe(5);
      const recorder = s.app.get(ReplicaCountsRecorder);
      await recorder.flush();
      const rows = await t.app
        .get<DataSource>(getDataSourceToken())
        .query(
          `SELECT counter, value::int AS value FROM monitoring.replica_counts WHERE replica = $1 ORDER BY counter`,
          [recorder.replica],
        );
      expect(rows).toEqual([{ counter: 'predictions_ok', value: 5 }]);
    } finally {
      await s.close();
    }
  });

  it('latency_p99 reads the buckets of the requests answered to callers, not the shadow scoring counted after the answer', async () => {
    // A model of this test alone, so the window holds only its requests; a replica logging none of
    // them (sample rate 0): the buckets count every prediction, the log has nothing to read.
    const data = creditData(300);
    const bundle = await trainCreditBundle(data, 1, 2, 'logistic');
    await moveAlias(t.app, 'shadowed', 'production', await registerBundle(t.app, 'shadowed', bundle));
    await moveAlias(t.app, 'shadowed', 'shadow', await registerBundle(t.app, 'shadowed', bundle));
    const s = await replicaOf(t, { INFERENCE_SHADOW: 'shadowed', INFERENCE_LOG_SAMPLE_RATE: 0 });
    try {
      const since = new Date();
      await sendEach(s.http.as(token), 4, 'shadowed', { features }, 200);
      const ds = t.app.get<DataSource>(getDataSourceToken());
      // Requests counted in the latency histograms per alias, once the replica's buckets are written.
      const counted = async () => {
        await s.app.get(BucketRecorder).flush(true);
        const rows = await ds.query<{ alias: string; n: number }[]>(
          `SELECT alias, sum(l::int)::int AS n FROM monitoring.buckets, jsonb_array_elements_text(payload->'latency') l
           WHERE model = 'shadowed' GROUP BY alias ORDER BY alias`,
        );
        return Object.fromEntries(rows.map((r) => [r.alias, r.n]));
      };
      for (let i = 0; i < 100 && (await counted()).shadow !== 4; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await counted()).toEqual({ production: 4, shadow: 4 });
      const [logged] = await ds.query(`SELECT count(*)::int AS n FROM inference.predictions WHERE model = 'shadowed'`);
      expect(logged.n).toBe(0);

      const params = { thresholdMs: 60_000, minRequests: 4 };
      const window = { from: since, to: new Date(Date.now() + 60_000) };
      const [reading] = await t.app.get(LatencySignal).read(latencyRule('shadowed', params), window);
      expect(reading).toMatchObject({ subject: 'shadowed', breached: false, threshold: 60_000 });
      expect(reading.evidence).toMatchObject({ requests: 4, comparator: '>' });
      expect(reading.evidence.inconclusive).toBeUndefined();
      expect(reading.value).toBeGreaterThan(0);
      // With no model named, the models the replicas counted: this one too once its replica's counts are in.
      await s.app.get(ReplicaCountsRecorder).flush();
      const all = await t.app.get(LatencySignal).read(latencyRule(null, params), window);
      expect(all.find((r) => r.subject === 'shadowed')?.evidence).toMatchObject({ requests: 4 });
    } finally {
      await s.close();
    }
  });

  it('latency_p99 fires on slow predictions with a low threshold, not with a high one, with the p99 of the buckets', async () => {
    const low = await rule({
      name: 'slow-p99-low',
      kind: 'latency_p99',
      model: 'slow',
      params: { thresholdMs: SLOW_MS / 2, minRequests: 10 },
    });
    const high = await rule({
      name: 'slow-p99-high',
      kind: 'latency_p99',
      model: 'slow',
      params: { thresholdMs: 60_000, minRequests: 10 },
    });
    const scarce = await rule({
      name: 'slow-p99-scarce',
      kind: 'latency_p99',
      model: 'slow',
      params: { thresholdMs: SLOW_MS / 2, minRequests: 1000 },
    });
    const slowed = await script(t.app, 'slow', () => {
      const until = performance.now() + SLOW_MS;
      while (performance.now() < until);
    });
    const measured: number[] = [];
    for (let i = 0; i < 12; i++) {
      const started = performance.now();
      expect((await predict(a, 'slow', { features })).status).toBe(200);
      measured.push(performance.now() - started);
    }
    slowed.mockRestore();
    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);

    const summary = await evaluator.evaluate(new Date());
    expect(summary?.fired).toHaveLength(1);
    const [alert] = await alertOf(low);
    expect(alert).toMatchObject({ state: 'firing', subject: 'slow', threshold: SLOW_MS / 2 });
    expect(alert.evidence).toMatchObject({ requests: 12, comparator: '>' });
    expect(alert.evidence.approximation).toMatch(/within a factor 1\.395/);
    // Every request took at least the model's time and at most what the client waited; the
    // histogram's p99 lies in the bin of the exact one: between those bins' edges.
    expect(alert.value).toBeGreaterThanOrEqual(latencyEdge(latencyBin(SLOW_MS)));
    expect(alert.value).toBeLessThanOrEqual(latencyEdge(latencyBin(Math.max(...measured)) + 1));
    expect(await alertOf(high)).toEqual([]);
    const [scarceReading] = await t.app
      .get(LatencySignal)
      .read(latencyRule('slow', { thresholdMs: SLOW_MS / 2, minRequests: 1000 }), {
        from: new Date(Date.now() - HOUR),
        to: new Date(),
      });
    expect(scarceReading).toMatchObject({ breached: false, evidence: { requests: 12 } });
    expect(scarceReading.evidence.inconclusive).toMatch(/fewer than minRequests \(1000\)/);
    expect(await alertOf(scarce)).toEqual([]);
    for (const id of [low, high, scarce]) await admin.delete(`/alerts/rules/${id}`);
  });

  it('log_drops fires with the rows a full prediction-log buffer really dropped', async () => {
    // A replica whose log keeps 5 rows and writes only at its (hour-long) flush: the rest are dropped.
    const small = await replicaOf(t, { INFERENCE_LOG_BUFFER_MAX: 5, INFERENCE_LOG_FLUSH_MS: HOUR });
    try {
      const drops = await rule({ name: 'drops', kind: 'log_drops' });
      const many = await rule({ name: 'many-drops', kind: 'log_drops', params: { threshold: 100 } });
      const instances = Array.from({ length: 12 }, () => features);
      expect((await predict(small.http.as(token), 'credit', { instances })).status).toBe(200);
      const metrics = await small.http.as(await tokenFor(t, 'admin')).get('/metrics');
      const dropped = parsePrometheusText(metrics.body as string).value('mlapi_prediction_log_dropped_total');
      expect(dropped).toBe(7);
      await flushCounts(small.app);
      expect((await evaluator.evaluate(new Date()))?.fired).toHaveLength(1);
      const [alert] = await alertOf(drops);
      expect(alert).toMatchObject({ state: 'firing', subject: 'service', model: null, value: dropped, threshold: 0 });
      expect(await alertOf(many)).toEqual([]);
    } finally {
      await small.close();
    }
  });
});
