import type { ChildProcess } from 'node:child_process';
import { AppConfig } from '../../src/config/app-config';
import { createWorkerContext } from '../../src/bootstrap/create-app';
import { ModelCache } from '../../src/inference';
import { TrainingProcessor } from '../../src/training';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';
import { importCsv, waitForJob } from '../support/training';
import { startWorkerProcess } from '../support/worker-process';
import { unreadLogStream } from '../support/log-level';

const HEARTBEAT = { WORKER_HEARTBEAT_MS: '200' };

/** The roles assembled in src/roles: an API replica consumes no queue, a worker serves no HTTP and says it is alive. */
describe('runtime roles (separate api and worker processes)', () => {
  let t: TestApp;
  let scientist: Http;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    t = await startTestApp({ APP_ROLE: 'api', ...HEARTBEAT });
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    await importCsv(t, 'credit', 'data/credit_data.csv', 'Status');
  });
  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await t.close();
  });

  jest.setTimeout(180_000);

  const workersSeen = async () => (await new Http(t.baseUrl).get('/health/ready')).body.info.workers;

  it('leaves a job queued on an api replica until a worker runs it, and reports the worker while it lives', async () => {
    expect(await workersSeen()).toEqual({ status: 'up', alive: 0, workers: [] });
    const res = await scientist.post('/training-jobs', {
      dataset: 'credit',
      task: 'binary',
      positiveClass: 'bad',
      hyperparameters: { epochs: 2 },
    });
    expect(res.status).toBe(202);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await scientist.get(`/training-jobs/${res.body.id}`)).body.state).toBe('queued');

    worker = await startWorkerProcess(t, HEARTBEAT);
    const seen = await workersSeen();
    expect(seen.alive).toBe(1);
    expect(seen.workers[0].id).toMatch(new RegExp(`:${worker.pid}$`));
    expect((await waitForJob(scientist, res.body.id)).state).toBe('succeeded');

    const exited = new Promise((resolve) => worker!.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
    expect(await workersSeen()).toEqual({ status: 'up', alive: 0, workers: [] });
  });

  it('boots a worker without the serving side of inference', async () => {
    const config = new AppConfig({ ...t.config.env, APP_ROLE: 'worker' });
    const ctx = await createWorkerContext({ config, logStream: unreadLogStream() });
    try {
      expect(ctx.get(TrainingProcessor, { strict: false })).toBeInstanceOf(TrainingProcessor);
      expect(() => ctx.get(ModelCache, { strict: false })).toThrow();
    } finally {
      await ctx.close();
    }
  });
});
