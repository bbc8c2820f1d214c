/**
 * Training benchmark (issue #4): for each shipped data set, the real app (in this process, on a
 * fresh database) imports the file, then times POST /training-jobs → registered version and
 * prints epochs, time per epoch, training rows/s, backend and held-out ROC AUC.
 * Target: credit_data from request to registered version in under 10 s.
 *   npm run bench:train
 */
// First, as in src/main.ts: production's V8 flags.
import '../../src/bootstrap/v8-flags';
import 'reflect-metadata';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createHttpApp } from '../../src/bootstrap/create-app';
import { loadConfig } from '../../src/config/app-config';
import { DatasetsService } from '../../src/data/datasets.service';
import { CsvImportService } from '../../src/data/import/csv-import.service';
import { REPO_ROOT } from '../../test/support/repo-root';
import { printRuntime } from './child';
import { deleteRedisKeys } from '../../test/support/redis-keys';

const DB = 'mlapi_bench_train';
const EMAIL = 'bench-admin@example.com';
const PASSWORD = 'a-long-enough-bench-password';
const SETS = [
  { name: 'credit', file: 'data/credit_data.csv', target: 'Status', positive: 'bad' },
  { name: 'lending', file: 'data/lending_club.csv', target: 'Class', positive: 'bad' },
];

async function onPostgres(sql: string): Promise<void> {
  const c = new Client({
    host: process.env.PGHOST ?? '127.0.0.1',
    user: process.env.PGUSER ?? 'postgres',
    database: 'postgres',
  });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}

async function main(): Promise<void> {
  printRuntime();
  await onPostgres(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await onPostgres(`CREATE DATABASE ${DB}`);
  const redisPrefix = `bench-train-${process.pid}`;
  const config = loadConfig({
    ...process.env,
    PGDATABASE: DB,
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: EMAIL,
    ADMIN_PASSWORD: PASSWORD,
    DB_MIGRATE_ON_START: 'true',
  });
  const app = await createHttpApp({ config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const api = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await res.json()) as any;
  };
  try {
    const { accessToken } = await api('POST', '/auth/login', undefined, { email: EMAIL, password: PASSWORD });
    const rows: string[] = [];
    for (const set of SETS) {
      const ds = await app.get(DatasetsService).create({ name: set.name, target: set.target, createdBy: 'bench' });
      await app
        .get(CsvImportService)
        .run({ datasetId: ds.id, source: createReadStream(join(REPO_ROOT, set.file)), createdBy: 'bench' });
      const started = performance.now();
      const job = await api('POST', '/training-jobs', accessToken, {
        dataset: set.name,
        task: 'binary',
        positiveClass: set.positive,
        promoteTo: 'production',
      });
      let state = job;
      while (state.modelVersion === null && !['failed', 'cancelled'].includes(state.state)) {
        await new Promise((r) => setTimeout(r, 20));
        state = await api('GET', `/training-jobs/${job.id}`, accessToken);
      }
      const registeredMs = performance.now() - started;
      while (!['succeeded', 'failed', 'cancelled'].includes(state.state))
        state = await api('GET', `/training-jobs/${job.id}`, accessToken);
      if (state.state !== 'succeeded') throw new Error(`${set.name}: ${state.state} ${state.error}`);
      const r = state.result;
      const epochs = state.progress.epoch as number;
      const trainMs = r.timings.trainMs as number;
      rows.push(
        [
          set.name,
          (registeredMs / 1000).toFixed(2),
          epochs,
          (trainMs / epochs).toFixed(0),
          Math.round((r.rows.train * epochs) / (trainMs / 1000)),
          r.backend,
          r.metrics.roc_auc.toFixed(4),
        ].join('\t'),
      );
    }
    process.stdout.write(
      ['data set\tPOST→registered s\tepochs\tms/epoch\ttrain rows/s\tbackend\tROC AUC', ...rows].join('\n') + '\n',
    );
    process.stdout.write(`target: credit_data POST→registered < 10 s\n`);
  } finally {
    await app.close();
    await onPostgres(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await deleteRedisKeys(config.env.REDIS_URL, redisPrefix);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
