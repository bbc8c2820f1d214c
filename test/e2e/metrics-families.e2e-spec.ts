import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { parsePrometheusText, type Exposition, type MetricType } from '../support/prometheus-text';
import { startTestApp, type TestApp } from '../support/test-app';
import { trainBriefly } from '../support/training';

const ANIMALS = readFileSync(join(__dirname, '../fixtures/training/two-classes.csv'), 'utf8');
const HEADER = ANIMALS.split('\n')[0];

/** A family exists with this type and exactly these labels (histograms: without `le`). */
function expectFamily(e: Exposition, name: string, type: MetricType, labels: string[]): void {
  expect({ name, type: e.family(name).type, labels: e.labelNames(name) }).toEqual({
    name,
    type,
    labels: [...labels].sort(),
  });
}

/**
 * Every family of the HTTP, inference, training, queue and import parts of `/metrics` after real
 * traffic on one APP_ROLE=all process (the one /metrics has everything), parsed strictly as
 * Prometheus text; and a scan of random URLs that does not grow the series.
 */
describe('GET /metrics: the families after real traffic (APP_ROLE=all)', () => {
  let t: TestApp;
  let admin: Http;
  let scientistToken: string;
  let features: Record<string, unknown>;
  const scrape = async () => parsePrometheusText((await admin.get('/metrics')).body as string);

  async function upload(ref: string, content: string, query = ''): Promise<{ status: string; error: unknown }> {
    const form = new FormData();
    form.append('file', new Blob([content]), 'file.csv');
    const res = await fetch(`${t.baseUrl}/datasets/${ref}/imports${query}`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${scientistToken}` },
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    for (let i = 0; i < 200; i++) {
      const job = (await admin.get(`/datasets/${ref}/imports/${id}`)).body;
      if (!['queued', 'running'].includes(job.status)) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('import did not finish');
  }

  beforeAll(async () => {
    t = await startTestApp({ INFERENCE_LOG_FLUSH_MS: '100' });
    admin = new Http(t.baseUrl, await tokenFor(t, 'admin'));
    scientistToken = await tokenFor(t, 'scientist');
    const data = creditData(300);
    await registerBundle(t.app, 'credit', await trainCreditBundle(data, 1, 2));
    await moveAlias(t.app, 'credit', 'production', 1);
    features = featuresOf(data.records[0]);
  });
  afterAll(() => t.close());

  // A training job and four imports on a busy 2-core machine.
  jest.setTimeout(180_000);

  it('counts HTTP requests and their time by method, route template and status', async () => {
    expect((await admin.post('/models/credit/predict', { features })).status).toBe(200);
    expect((await admin.post('/models/nope/predict', { features })).status).toBe(404);
    const e = await scrape();
    expectFamily(e, 'mlapi_http_requests_total', 'counter', ['method', 'route', 'status']);
    expectFamily(e, 'mlapi_http_request_duration_seconds', 'histogram', ['method', 'route', 'status']);
    const predict = { method: 'POST', route: '/models/:name/predict' };
    expect(e.value('mlapi_http_requests_total', { ...predict, status: '200' })).toBe(1);
    expect(e.value('mlapi_http_requests_total', { ...predict, status: '404' })).toBe(1);
    expect(e.value('mlapi_http_request_duration_seconds_count', { ...predict, status: '200' })).toBe(1);
    expect(e.value('mlapi_http_request_duration_seconds_sum', { ...predict, status: '200' })).toBeGreaterThan(0);
    // No raw URL anywhere: the model's name is not a label value.
    expect(e.samples('mlapi_http_requests_total').some((s) => s.labels.route.includes('credit'))).toBe(false);
  });

  it('counts predictions, their time and records per request by model, the version and the alias that answered', async () => {
    expect((await admin.post('/models/credit/predict', { instances: [features, features, features] })).status).toBe(
      200,
    );
    expect((await admin.post('/models/credit/predict?version=1', { features })).status).toBe(200);
    const e = await scrape();
    expectFamily(e, 'mlapi_predictions_total', 'counter', ['model', 'version', 'alias', 'outcome']);
    expectFamily(e, 'mlapi_predict_request_duration_seconds', 'histogram', [
      'model',
      'version',
      'alias',
      'protocol',
      'outcome',
    ]);
    expectFamily(e, 'mlapi_predict_request_records', 'histogram', ['model', 'version', 'alias']);
    expectFamily(e, 'mlapi_inference_batch_rows', 'histogram', ['model', 'version']);
    const production = { model: 'credit', version: '1', alias: 'production' };
    // The first test's record, then these three.
    expect(e.value('mlapi_predictions_total', { ...production, outcome: 'ok' })).toBe(4);
    // A named version answers with alias "none".
    expect(e.value('mlapi_predictions_total', { model: 'credit', version: '1', alias: 'none', outcome: 'ok' })).toBe(1);
    expect(
      e.value('mlapi_predict_request_duration_seconds_count', { ...production, protocol: 'predict', outcome: 'ok' }),
    ).toBe(2);
    expect(e.value('mlapi_predict_request_records_count', production)).toBe(2);
    expect(e.value('mlapi_predict_request_records_sum', production)).toBe(4);
    expect(e.sum('mlapi_inference_batch_rows_sum', { model: 'credit', version: '1' })).toBe(5);
  });

  it('counts rows imported and rejected and each import by outcome', async () => {
    await admin.post('/datasets', { name: 'animals', target: 'outcome' });
    const rows = ANIMALS.trim().split('\n').slice(1);
    expect((await upload('animals', ANIMALS)).status).toBe('succeeded');
    const withBad = [HEADER, ...rows.slice(0, 10), 'old,rent,0,bad'].join('\n') + '\n';
    expect((await upload('animals', withBad, '?maxRejectedShare=0.5')).status).toBe('succeeded');
    expect((await upload('animals', ANIMALS)).status).toBe('duplicate');
    expect((await upload('animals', `${HEADER}\n`)).status).toBe('failed');
    const e = await scrape();
    expectFamily(e, 'mlapi_import_rows_total', 'counter', []);
    expectFamily(e, 'mlapi_import_rejected_rows_total', 'counter', []);
    expectFamily(e, 'mlapi_import_duration_seconds', 'histogram', ['outcome']);
    expect(e.value('mlapi_import_rows_total')).toBe(rows.length + 10);
    expect(e.value('mlapi_import_rejected_rows_total')).toBe(1);
    expect(e.value('mlapi_import_duration_seconds_count', { outcome: 'succeeded' })).toBe(2);
    expect(e.value('mlapi_import_duration_seconds_count', { outcome: 'duplicate' })).toBe(1);
    expect(e.value('mlapi_import_duration_seconds_count', { outcome: 'failed' })).toBe(1);
  });

  it('counts training transitions and durations, and every queue by state', async () => {
    expect((await trainBriefly(new Http(t.baseUrl, scientistToken), 'animals')).state).toBe('succeeded');
    const e = await scrape();
    expectFamily(e, 'mlapi_training_jobs_total', 'counter', ['state']);
    expectFamily(e, 'mlapi_training_duration_seconds', 'histogram', ['state']);
    expect(e.value('mlapi_training_jobs_total', { state: 'running' })).toBe(1);
    expect(e.value('mlapi_training_jobs_total', { state: 'succeeded' })).toBe(1);
    expect(e.value('mlapi_training_jobs_total', { state: 'failed' })).toBe(0);
    expect(e.value('mlapi_training_duration_seconds_count', { state: 'succeeded' })).toBe(1);

    expectFamily(e, 'mlapi_queue_jobs', 'gauge', ['queue', 'state']);
    for (const queue of ['training', 'mlflow-mirror'])
      expect(e.samples('mlapi_queue_jobs', { queue }).map((s) => s.labels.state)).toEqual([
        'waiting',
        'active',
        'delayed',
        'failed',
        'paused',
      ]);
    expect(e.value('mlapi_queue_jobs', { queue: 'training', state: 'failed' })).toBe(0);
    expectFamily(e, 'mlapi_queue_jobs_processed_total', 'counter', ['queue', 'job', 'outcome']);
    expectFamily(e, 'mlapi_queue_job_duration_seconds', 'histogram', ['queue', 'job', 'outcome']);
    const trained = { queue: 'training', job: 'train', outcome: 'completed' };
    expect(e.value('mlapi_queue_jobs_processed_total', trained)).toBe(1);
    expect(e.value('mlapi_queue_job_duration_seconds_count', trained)).toBe(1);
  });

  it('keeps a scan of random URLs in one unmatched series per method and status', async () => {
    // 75 URLs no route matches (GET and POST), 25 predicts of random model names.
    const scan = () =>
      Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const id = randomUUID();
          if (i % 4 === 3) return admin.post(`/models/${id}/predict`, { features });
          const path = [`/${id}`, `/wp-admin/${id}.php?q=${id}`, `/models/${id}/predict/${id}`][i % 4];
          return i % 8 < 4 ? admin.get(path) : admin.post(path, {});
        }),
      );
    await scan();
    const before = await scrape();
    await scan();
    const after = await scrape();
    expect(after.samples('mlapi_http_requests_total').length).toBe(before.samples('mlapi_http_requests_total').length);
    // None of the app's families grew (Node's own may: a new kind of GC, say).
    expect(after.seriesCount('mlapi_')).toBe(before.seriesCount('mlapi_'));
    const unmatched = { route: 'unmatched', status: '404' };
    expect(after.sum('mlapi_http_requests_total', unmatched) - before.sum('mlapi_http_requests_total', unmatched)).toBe(
      75,
    );
    // `/models/<random>/predict` matches the predict route: its template, whatever the name.
    const route = { method: 'POST', route: '/models/:name/predict', status: '404' };
    expect(after.value('mlapi_http_requests_total', route) - before.value('mlapi_http_requests_total', route)).toBe(25);
  });
});
