import type { ChildProcess } from 'node:child_process';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';
import { importCsv, waitForJob } from '../support/training';
import { killHard, startWorkerProcess } from '../support/worker-process';

/**
 * A worker killed mid-training (SIGKILL, like a lost container): as soon as its heartbeat is gone
 * the job reads `stalled` (issue #18 item 7), then its lock expires, another worker retries it,
 * the lost run is marked failed, and exactly one version is registered.
 */
describe('training survives a killed worker (separate api and worker processes)', () => {
  let t: TestApp;
  let scientist: Http;
  let admin: Http;
  const workers: ChildProcess[] = [];
  // The API replica judges liveness with the same heartbeat interval as the workers.
  const workerEnv = { TRAINING_LOCK_MS: '2000', WORKER_HEARTBEAT_MS: '500' };
  const workersAlive = async () =>
    Number(/^mlapi_workers_alive (\S+)$/m.exec((await admin.get('/metrics')).body as string)?.[1]);

  beforeAll(async () => {
    t = await startTestApp({ APP_ROLE: 'api', ...workerEnv });
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    admin = new Http(t.baseUrl, await tokenFor(t, 'admin'));
    await importCsv(t, 'credit', 'data/credit_data.csv', 'Status');
  });
  afterAll(async () => {
    await Promise.all(workers.map(killHard));
    await t.close();
  });

  // Two ts-node worker boots and two trainings: slow on a busy 2-core machine.
  jest.setTimeout(300_000);

  it('retries the job on another worker and leaves no half-registered version', async () => {
    workers.push(await startWorkerProcess(t, workerEnv));
    const res = await scientist.post('/training-jobs', {
      dataset: 'credit',
      task: 'binary',
      positiveClass: 'bad',
      hyperparameters: { epochs: 100, patience: 100 },
    });
    expect(res.status).toBe(202);
    const running = await waitForJob(scientist, res.body.id, (j) => j.progress?.epoch >= 2);
    expect(running).toMatchObject({ state: 'running', worker: expect.stringMatching(/:\d+$/), stalledReason: null });
    const lostRunId = running.runId as string;
    expect(await workersAlive()).toBe(1);

    await killHard(workers[0]);
    // No worker is left to re-queue it: only the heartbeat tells that nothing trains it any more.
    const stalled = await waitForJob(scientist, res.body.id, (j) => j.state !== 'running');
    expect(stalled).toMatchObject({ state: 'stalled', worker: running.worker, attempts: 1 });
    expect(stalled.stalledReason).toContain(`worker ${running.worker} has sent no heartbeat`);
    expect(await workersAlive()).toBe(0);
    workers.push(await startWorkerProcess(t, workerEnv));
    const job = await waitForJob(scientist, res.body.id);

    expect(job.state).toBe('succeeded');
    expect(job.attempts).toBe(2);
    expect(job.runId).not.toBe(lostRunId);
    expect((await scientist.get(`/runs/${lostRunId}`)).body.status).toBe('failed');
    expect((await scientist.get(`/runs/${job.runId}`)).body.status).toBe('finished');
    const versions = await scientist.get('/models/credit/versions');
    expect(versions.body.map((v: { runId: string }) => v.runId)).toEqual([job.runId]);
  });
});
