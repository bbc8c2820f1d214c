import { PassThrough } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, createWorkerContext } from '../../src/bootstrap/create-app';
import { loadConfig } from '../../src/config/app-config';
import { Client } from 'pg';
import { tokenFor } from '../support/auth';
import { connectionEnv } from '../support/database';
import { Http } from '../support/http';
import { PrivatePostgres, PrivateRedis } from '../support/private-services';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';
import { importCsv, waitForJob } from '../support/training';

/** Another process of the same deployment: the test app's database and Redis prefix, its own logs. */
async function sibling(t: TestApp, env: Record<string, string>, role: 'api' | 'worker') {
  const chunks: string[] = [];
  const logStream = new PassThrough();
  logStream.on('data', (c: Buffer) => chunks.push(c.toString()));
  const config = loadConfig({
    ...connectionEnv(),
    NODE_ENV: 'test',
    PGDATABASE: t.database,
    REDIS_PREFIX: t.config.env.REDIS_PREFIX,
    DB_MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'info',
    JWT_SECRET: TEST_JWT_SECRET,
    APP_ROLE: role,
    ...env,
  });
  const logs = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  if (role === 'worker') return { app: await createWorkerContext({ config, logStream }), logs, url: '' };
  const app: NestFastifyApplication = await createHttpApp({ config, logStream });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, logs, url: `http://127.0.0.1:${port}` };
}

/**
 * Issue #18 items 3 and 4: Redis down → POST /training-jobs answers 503 naming Redis at once →
 * that process stops (as on SIGTERM) → Redis comes back, empty → a worker starts: the recorded
 * job is queued by the reconciler, trained once, and the same request can be trained again.
 */
describe('a training job submitted while Redis is down is not stranded', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let token: string;
  let worker: INestApplicationContext | undefined;
  const env = () => ({ REDIS_URL: redis.url });
  const request = { dataset: 'two', task: 'binary', model: '', hyperparameters: { epochs: 3 } };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    // The observer: an API replica that stays up through the outage and reads the job.
    t = await startTestApp({ APP_ROLE: 'api', ...env() });
    token = await tokenFor(t, 'scientist');
    await importCsv(t, 'two', 'test/fixtures/training/two-classes.csv', 'outcome');
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await redis?.down();
  });

  jest.setTimeout(120_000);

  it('answers 503 naming Redis, keeps the job recorded, and a worker queues and trains it once Redis is back', async () => {
    const observer = new Http(t.baseUrl, token);
    const victim = await sibling(t, env(), 'api');
    await redis.down();

    const sentAt = Date.now();
    const refused = await new Http(victim.url, token).post('/training-jobs', request);
    expect(Date.now() - sentAt).toBeLessThan(5_000); // TRAINING_ENQUEUE_TIMEOUT_MS is 2 s
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({
      code: 'common.dependency_unavailable',
      message: expect.stringMatching(/^Redis/),
    });
    expect(refused.headers.get('retry-after')).toBeTruthy();
    // An identical request collapses onto the recorded job and, Redis still down, is refused too.
    expect((await new Http(victim.url, token).post('/training-jobs', request)).status).toBe(503);

    const recorded = (await observer.get('/training-jobs')).body;
    expect(recorded.total).toBe(1);
    expect(recorded.items[0]).toMatchObject({ state: 'queued', attempts: 0 });
    const jobId = recorded.items[0].id as string;

    await victim.app.close(); // the process that took the request stops before anything queued it
    await redis.up(); // without persistence: Redis comes back empty
    const started = await sibling(
      t,
      { ...env(), TRAINING_RECONCILE_AFTER_MS: '500', TRAINING_RECONCILE_INTERVAL_MS: '500' },
      'worker',
    );
    worker = started.app;

    const job = await waitForJob(observer, jobId);
    expect(job).toMatchObject({ state: 'succeeded', attempts: 1, error: null });
    const lines = started.logs().filter((l) => l.jobId === jobId);
    expect(lines.filter((l) => l.msg === 'training job queued again: the queue held no entry for it')).toHaveLength(1);
    expect(lines.filter((l) => l.msg === 'training job started')).toEqual([
      expect.objectContaining({ attempt: 1, worker: expect.stringMatching(/:\d+$/) }),
    ]);
    expect(lines.filter((l) => l.msg === 'training job ended')).toEqual([
      expect.objectContaining({ attempt: 1, state: 'succeeded', durationMs: expect.any(Number) }),
    ]);

    // The same request is a new job now, not a collapse onto a stranded one, and it trains.
    const again = await observer.post('/training-jobs', request);
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(jobId);
    expect((await waitForJob(observer, again.body.id)).state).toBe('succeeded');
  });
});

describe('a training job submitted while PostgreSQL is down', () => {
  let pg: PrivatePostgres;
  let t: TestApp;
  let scientist: Http;
  const request = { dataset: 'two', task: 'binary', model: '' };

  beforeAll(async () => {
    pg = await PrivatePostgres.startMigrated();
    t = await startTestApp({ APP_ROLE: 'api', ...pg.env('mlapi') });
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    await importCsv(t, 'two', 'test/fixtures/training/two-classes.csv', 'outcome');
  });
  afterAll(async () => {
    await t?.close();
    await pg?.destroy();
  });

  jest.setTimeout(120_000);

  it('answers 503 naming PostgreSQL, and 202 once it is back', async () => {
    // The private server commits asynchronously: write the import to disk before killing it.
    const client = new Client(pg.clientConfig());
    await client.connect();
    await client.query('CHECKPOINT');
    await client.end();
    await pg.down();
    const refused = await scientist.post('/training-jobs', request);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({
      code: 'common.dependency_unavailable',
      message: expect.stringMatching(/^PostgreSQL/),
    });
    expect(refused.headers.get('retry-after')).toBeTruthy();
    await pg.up();
    // The pool may hand out a connection that died with the server once more; then it reconnects.
    let status = 503;
    for (let i = 0; i < 20 && status === 503; i++) {
      status = (await scientist.post('/training-jobs', request)).status;
      if (status === 503) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(202);
  });
});
