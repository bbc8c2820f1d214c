import type { ChildProcess } from 'node:child_process';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { parsePrometheusText } from '../support/prometheus-text';
import { startTestApp, type TestApp } from '../support/test-app';
import { importCsv, trainBriefly } from '../support/training';
import { freePort, killHard, startWorkerProcess } from '../support/worker-process';

/**
 * A worker process (APP_ROLE=worker) serves its own `/metrics` on WORKER_METRICS_PORT: the
 * queues and the training jobs it ran live there, not in the api replica's `/metrics`.
 */
describe('a worker process serves its own metrics (separate api and worker processes)', () => {
  let t: TestApp;
  let scientist: Http;
  let admin: Http;
  let worker: ChildProcess | undefined;
  let metricsUrl: string;

  beforeAll(async () => {
    t = await startTestApp({ APP_ROLE: 'api' });
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    admin = new Http(t.baseUrl, await tokenFor(t, 'admin'));
    await importCsv(t, 'animals', 'test/fixtures/training/two-classes.csv', 'outcome');
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    worker = await startWorkerProcess(t, { WORKER_METRICS_PORT: String(port), WORKER_METRICS_HOST: '127.0.0.1' });
  });
  afterAll(async () => {
    if (worker) await killHard(worker);
    await t.close();
  });

  // A ts-node worker boot and a training on a busy 2-core machine.
  jest.setTimeout(180_000);

  it('reports the queues by state and the training job it ran, without a token', async () => {
    expect((await trainBriefly(scientist, 'animals')).state).toBe('succeeded');

    const answer = await fetch(metricsUrl);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const e = parsePrometheusText(await answer.text());
    expect(e.family('process_cpu_user_seconds_total').type).toBe('counter');
    expect(e.value('mlapi_queue_jobs', { queue: 'training', state: 'active' })).toBe(0);
    expect(e.value('mlapi_queue_jobs', { queue: 'mlflow-mirror', state: 'waiting' })).toBe(0);
    expect(e.value('mlapi_training_jobs_total', { state: 'succeeded' })).toBe(1);
    expect(e.value('mlapi_training_duration_seconds_count', { state: 'succeeded' })).toBe(1);
    expect(e.value('mlapi_queue_jobs_processed_total', { queue: 'training', job: 'train', outcome: 'completed' })).toBe(
      1,
    );
    // The worker runs no HTTP API: no request families, no inference.
    expect(e.families.has('mlapi_http_requests_total')).toBe(false);
    expect(e.families.has('mlapi_predictions_total')).toBe(false);
  });

  it("leaves queues and jobs out of the api replica's /metrics", async () => {
    const e = parsePrometheusText((await admin.get('/metrics')).body as string);
    expect(e.family('mlapi_http_requests_total').type).toBe('counter');
    expect(e.families.has('mlapi_queue_jobs')).toBe(false);
    expect(e.samples('mlapi_training_jobs_total')).toEqual([]);
  });

  it('answers 404 on any other path of its port', async () => {
    expect((await fetch(metricsUrl.replace('/metrics', '/health'))).status).toBe(404);
    expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(404);
  });
});
