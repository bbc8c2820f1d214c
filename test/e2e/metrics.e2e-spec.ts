import { ApiTokensService } from '../../src/auth/services/api-tokens.service';
import { describeBackend } from '../../src/ml';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { loginAs, tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

/** The value of one sample line, e.g. `mlapi_predictions_total{model="credit",…,outcome="ok"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics (real app, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let http: Http;
  let admin: Http;
  let adminId: string;
  let features: Record<string, unknown>;

  beforeAll(async () => {
    // A generous batching window, so the concurrency test below does not depend on timing.
    t = await startTestApp({
      INFERENCE_LOG_FLUSH_MS: '100',
      INFERENCE_MICROBATCH_WAIT_MS: '25',
      INFERENCE_MICROBATCH_MAX: '32',
    });
    http = new Http(t.baseUrl);
    const login = await loginAs(t, 'admin');
    admin = http.as(login.accessToken);
    adminId = login.user.id;
    const data = creditData(400);
    await registerBundle(t.app, 'credit', await trainCreditBundle(data, 1, 2));
    await registerBundle(t.app, 'credit', Buffer.from('{"formatVersion": 99}'));
    await moveAlias(t.app, 'credit', 'production', 1);
    await moveAlias(t.app, 'credit', 'broken', 2);
    features = featuresOf(data.records[0]);
  });
  afterAll(() => t.close());

  it('serves Prometheus text to admins and metrics:read tokens only', async () => {
    const token = (await t.app.get(ApiTokensService).create({ name: 'prometheus', scopes: ['metrics:read'] }, adminId))
      .token;
    const predictToken = (await t.app.get(ApiTokensService).create({ name: 'p', scopes: ['predict'] }, adminId)).token;
    const res = await http.as(token).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('process_cpu_user_seconds_total');
    expect(sample(res.body, 'mlapi_tfjs_backend', { backend: 'wasm' }) ?? sample(res.body, 'mlapi_tfjs_backend')).toBe(
      1,
    );
    expect((await admin.get('/metrics')).status).toBe(200);
    expect((await http.as(predictToken).get('/metrics')).status).toBe(403);
    expect((await http.as(await tokenFor(t, 'consumer')).get('/metrics')).status).toBe(403);
    expect((await http.get('/metrics')).status).toBe(401);
  });

  it('counts predictions by outcome, request time, batch sizes, unknown categories, load failures and the log', async () => {
    expect(
      (await admin.post('/models/credit/predict', { instances: [features, { ...features, Home: 'castle' }, features] }))
        .status,
    ).toBe(200);
    expect((await admin.post('/models/credit/predict', { features: { ...features, Age: 'old' } })).status).toBe(422);
    expect((await admin.post('/models/credit/predict?alias=broken', { features })).status).toBe(503);
    const text = (await admin.get('/metrics')).body as string;
    const labels = { model: 'credit', version: '1', alias: 'production' };
    expect(sample(text, 'mlapi_predictions_total', { ...labels, outcome: 'ok' })).toBe(3);
    expect(sample(text, 'mlapi_predictions_total', { ...labels, outcome: 'invalid' })).toBe(1);
    expect(
      sample(text, 'mlapi_predict_request_duration_seconds_count', {
        model: 'credit',
        protocol: 'predict',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(sample(text, 'mlapi_inference_batch_rows_count', { model: 'credit' })).toBe(1);
    expect(sample(text, 'mlapi_inference_batch_rows_sum', { model: 'credit' })).toBe(3);
    expect(sample(text, 'mlapi_unknown_categories_total', { model: 'credit', feature: 'Home' })).toBe(1);
    expect(sample(text, 'mlapi_model_load_failures_total', { model: 'credit' })).toBe(1);
    expect(sample(text, 'mlapi_prediction_log_dropped_total')).toBe(0);
    expect(sample(text, 'mlapi_prediction_log_buffered')).toBeGreaterThanOrEqual(0);
  });

  it('micro-batches concurrent single-record requests, at most INFERENCE_MICROBATCH_MAX rows a call', async () => {
    const before = (await admin.get('/metrics')).body as string;
    const calls0 = sample(before, 'mlapi_inference_batch_rows_count', { model: 'credit' }) ?? 0;
    const rows0 = sample(before, 'mlapi_inference_batch_rows_sum', { model: 'credit' }) ?? 0;
    const answers = await Promise.all(
      Array.from({ length: 80 }, () => admin.post('/models/credit/predict', { features })),
    );
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const text = (await admin.get('/metrics')).body as string;
    const calls = sample(text, 'mlapi_inference_batch_rows_count', { model: 'credit' })! - calls0;
    expect(sample(text, 'mlapi_inference_batch_rows_sum', { model: 'credit' })! - rows0).toBe(80);
    // 80 rows in batches of at most 32: at least 3 calls, and far fewer than one per request.
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThan(80);
    expect(sample(text, 'mlapi_inference_batch_rows_bucket', { model: 'credit', le: '32' })).toBe(
      sample(text, 'mlapi_inference_batch_rows_count', { model: 'credit' }),
    );
  });

  it('reports the tfjs backend in /health/ready and /health, and when not native why and how to get it', async () => {
    const res = await http.get('/health/ready');
    expect(res.status).toBe(200);
    const { status, ...report } = res.body.details.tfjs;
    expect({ status, ...report }).toEqual(
      report.backend === 'tensorflow'
        ? { status: 'up', backend: 'tensorflow', native: true }
        : {
            status: 'up',
            backend: expect.stringMatching(/^(wasm|cpu)$/),
            native: false,
            reason: expect.stringMatching(/\w/),
            howToGetNative: expect.stringContaining('Docker image'),
          },
    );
    expect((await http.get('/health')).body.details.tfjs).toEqual(res.body.details.tfjs);
    // The same words in the start-up log line.
    expect(t.logs()).toContain(JSON.stringify(describeBackend(report)));
  });

  it('documents the scrape configuration in OpenAPI', async () => {
    const doc = (await http.get('/docs-json')).body;
    expect(doc.paths['/metrics'].get.description).toContain('credentials');
  });
});
