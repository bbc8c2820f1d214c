import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenFor } from '../support/auth';
import { connectionEnv } from '../support/database';
import { Http } from '../support/http';
import { fileHead, rawUpload, until } from '../support/multipart';
import { freePort } from '../support/private-services';
import { REPO_ROOT } from '../support/repo-root';
import { startTestApp, type TestApp } from '../support/test-app';

const DRAIN_MS = 1500;

describe('SIGTERM: readiness drains, then the server closes (a real app process)', () => {
  let t: TestApp;
  let child: ChildProcess;
  let output = '';
  let base: string;
  let spoolDir: string;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    token = await tokenFor(t, 'scientist');
    expect((await new Http(t.baseUrl, token).post('/datasets', { name: 'up' })).status).toBe(201);
    spoolDir = await mkdtemp(join(tmpdir(), 'mlapi-drain-test-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/ts-node/dist/bin.js'), '--transpile-only', join(REPO_ROOT, 'src/main.ts')],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          ...connectionEnv(),
          NODE_ENV: 'test',
          APP_ROLE: 'api',
          HOST: '127.0.0.1',
          PORT: String(port),
          PGDATABASE: t.database,
          REDIS_PREFIX: t.config.env.REDIS_PREFIX,
          JWT_SECRET: t.config.env.JWT_SECRET as string,
          DB_MIGRATE_ON_START: 'false',
          LOG_LEVEL: 'info',
          SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
          SHUTDOWN_TIMEOUT_MS: '5000',
          IMPORT_TMP_DIR: spoolDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await until('the app to listen', async () => output.includes('listening'), 90_000);
  }, 120_000);
  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await t.close();
  });

  it('answers readiness 503 while serving for the drain, interrupts uploads still arriving, closes and logs each phase', async () => {
    const http = new Http(base, token);
    expect((await http.get('/health/ready')).status).toBe(200);
    const upload = rawUpload(`${base}/datasets/up/imports?wait=true`, token, [fileHead, 'a,b\n'], {
      finish: false,
      contentLength: 100_000,
    });
    await until('the upload to be spooled', async () => (await readdir(spoolDir)).length === 1);
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const sent = Date.now();
    child.kill('SIGTERM');

    await until('readiness to report the drain', async () => (await http.get('/health/ready')).status === 503);
    const ready = await http.get('/health/ready');
    expect(ready.body.error.shutdown).toEqual({ status: 'down', message: expect.stringMatching(/draining/) });
    // The Open Inference v2 probe says the same (it answered 200 while PostgreSQL answered).
    const v2 = await http.get('/v2/health/ready');
    expect({ status: v2.status, body: v2.body }).toEqual({ status: 503, body: { ready: false } });
    // Everything else is still served while the load balancer takes the replica out.
    expect((await http.get('/auth/me')).status).toBe(200);
    expect((await http.get('/health/live')).status).toBe(200);

    const interrupted = await upload.answer;
    expect(Date.now() - sent).toBeGreaterThanOrEqual(DRAIN_MS - 100);
    expect(interrupted).toMatchObject({
      status: 503,
      headers: { 'retry-after': '1' },
      body: { code: 'data.upload_interrupted' },
    });
    expect(await readdir(spoolDir)).toEqual([]);

    const { code, signal } = await exited;
    // Nest re-raises the signal once it has closed; exit code 1 would be the shutdown timeout.
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    const phases = ['draining: /health/ready answers 503', 'drained: closing the HTTP server', 'HTTP server closed'];
    const at = phases.map((p) => output.indexOf(p));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
  }, 30_000);
});
