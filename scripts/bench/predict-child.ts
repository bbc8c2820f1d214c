/**
 * Child processes of the predict benchmark (scripts/bench/predict.ts), so the load generator
 * never shares a core with the server it measures:
 *   `bare`  a node:http server that parses the JSON body and answers a small JSON (the floor);
 *   `app`   the real app (createHttpApp) on BENCH_DB; with BENCH_BUNDLE it first creates the
 *           admin, registers the bundle as credit v1 (production) and an API token;
 *   `worker` the worker role (createWorkerContext) on BENCH_DB: the monitoring jobs at their
 *           intervals (BENCH_MONITORING_JOBS, predict-monitoring-jobs.ts); reports `{port: 0}`.
 * Each reports `{port, ...}` to the parent over IPC once listening, and answers the message `gc`
 * with `{gcMs}`: the time its garbage collections took so far.
 */
// First, as in src/main.ts: production's V8 flags.
import '../../src/bootstrap/v8-flags';
import 'reflect-metadata';
import { createServer } from 'node:http';
import { PerformanceObserver } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { ApiTokensService } from '../../src/auth/services/api-tokens.service';
import { UsersService } from '../../src/auth/services/users.service';
import { createHttpApp, createWorkerContext } from '../../src/bootstrap/create-app';
import { loadConfig } from '../../src/config/app-config';
import { moveAlias, registerBundle } from '../../test/support/model-fixtures';

export const BENCH_EMAIL = 'bench-admin@example.com';
export const BENCH_PASSWORD = 'a-long-enough-bench-password';

async function bare(): Promise<void> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { features?: object };
      const out = JSON.stringify({ ok: true, keys: body.features ? Object.keys(body.features).length : 0 });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
  process.on('disconnect', () => process.exit(0));
}

async function app(): Promise<void> {
  const config = loadConfig({ ...process.env, PGDATABASE: process.env.BENCH_DB });
  const nest = await createHttpApp({ config });
  let apiToken: string | undefined;
  if (process.env.BENCH_BUNDLE) {
    const admin = await nest.get(UsersService).create(BENCH_EMAIL, BENCH_PASSWORD, 'admin');
    await registerBundle(nest, 'credit', readFileSync(process.env.BENCH_BUNDLE));
    await moveAlias(nest, 'credit', 'production', 1);
    apiToken = (await nest.get(ApiTokensService).create({ name: 'bench', scopes: ['predict'] }, admin.id)).token;
  }
  await nest.listen({ port: 0, host: '127.0.0.1' });
  process.send!({ port: (nest.getHttpServer().address() as { port: number }).port, apiToken });
  process.on('disconnect', () => void nest.close().then(() => process.exit(0)));
}

async function worker(): Promise<void> {
  const config = loadConfig({ ...process.env, PGDATABASE: process.env.BENCH_DB, APP_ROLE: 'worker' });
  const nest = await createWorkerContext({ config });
  process.send!({ port: 0 });
  process.on('disconnect', () => void nest.close().then(() => process.exit(0)));
}

/** Counts GC time, so the benchmark can show what a change costs the collector. */
function reportGc(): void {
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (m) => {
    if (m === 'gc') process.send!({ gcMs });
  });
}

// Only when forked as a child: the parent imports this file for the credentials above.
if (require.main === module) {
  const role = process.argv[2];
  reportGc();
  (role === 'bare' ? bare() : role === 'worker' ? worker() : app()).catch((err: unknown) => {
    process.stderr.write(`bench child ${role} failed: ${(err as Error).stack}\n`);
    process.exit(1);
  });
}
