/**
 * Dashboard endpoints benchmark (prints figures; not a test): `npm run bench:dashboard`.
 * A scratch database (bench_dashboard_<pid>, dropped at the end) holds a week of monitoring state
 * for BENCH_PREDICTIONS (1,000,000) callers' predictions of `credit` (production, a 10% canary and
 * a shadow; dashboard-state.ts says what is written and how). The real app (APP_ROLE=api, so no
 * worker job writes meanwhile) serves it on a local port; every JSON endpoint the dashboard reads is
 * asked over HTTP for the last 24 h and the last 7 days, BENCH_REPEATS (20) times after 2 warm-ups,
 * one request at a time, and p50/p95 are printed against the targets (24 h < 200 ms, 7 d < 1 s p95),
 * with GET /health/live as the HTTP baseline of the same run.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { UsersService } from '../../src/auth/services/users.service';
import { createHttpApp } from '../../src/bootstrap/create-app';
import { loadConfig } from '../../src/config/app-config';
import { parseBundle } from '../../src/ml';
import {
  creditData,
  featuresOf,
  moveAlias,
  registerBundle,
  trainCreditBundle,
} from '../../test/support/model-fixtures';
import { deleteRedisKeys } from '../../test/support/redis-keys';
import { printRuntime } from './child';
import { DAYS, MODEL, SERVED, seedDashboardState } from './dashboard-state';
import { withScratchDatabase } from './scratch-database';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 20);
const PREDICTIONS = Number(process.env.BENCH_PREDICTIONS ?? 1_000_000);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const TARGET_MS = { '24 h': 200, '7 d': 1000 } as const;

/** Nearest-rank quantile. */
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.max(Math.ceil(q * xs.length) - 1, 0)];

async function time(url: string, token: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < REPEATS + 2; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 300)}`);
    if (i >= 2) out.push(ms);
  }
  return out;
}

async function main(): Promise<void> {
  printRuntime();
  await withScratchDatabase('bench_dashboard', async (ds) => {
    const database = ds.options.database as string;
    const prefix = `bench-dashboard-${process.pid}`;
    const config = loadConfig({
      ...process.env,
      PGDATABASE: database,
      APP_ROLE: 'api',
      LOG_LEVEL: 'error',
      REDIS_PREFIX: prefix,
      DB_MIGRATE_ON_START: 'false',
      LOGIN_MAX_PER_IP: '100000',
    });
    const app = await createHttpApp({ config });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      await run(app, ds, `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`);
    } finally {
      await app.close();
      await deleteRedisKeys(config.env.REDIS_URL, prefix);
    }
  });
}

async function run(app: NestFastifyApplication, ds: Parameters<typeof seedDashboardState>[0], base: string) {
  const data = creditData(1500);
  const bundle = await trainCreditBundle(data, 1, 2);
  for (const { version, alias } of SERVED) {
    if ((await registerBundle(app, MODEL, bundle)) !== version) throw new Error('versions out of order');
    await moveAlias(app, MODEL, alias, version);
  }
  const end = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE;
  const t0 = performance.now();
  const seeded = await seedDashboardState(ds, parseBundle(bundle), data.records.map(featuresOf), end, PREDICTIONS);
  console.log(
    `seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${seeded.predictions.toLocaleString('en')} callers' predictions over ${DAYS} days; ` +
      `${seeded.buckets.toLocaleString('en')} minute buckets (2 replicas × production, canary, shadow), ${seeded.rollups} hourly roll-ups, ` +
      `${seeded.replicaCounts.toLocaleString('en')} replica_counts rows, ${seeded.results.toLocaleString('en')} monitoring.results rows; repeats: ${REPEATS}`,
  );
  const email = `bench-${process.pid}@example.com`;
  const password = 'a-long-enough-bench-password';
  await app.get(UsersService).create(email, password, 'scientist');
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const now = new Date(end + MINUTE);
  const ranges = { '24 h': 24 * HOUR, '7 d': DAYS * 24 * HOUR };
  // The points the page asks for each range (dashboards/web/lib/time-range.ts): whole hours beyond an hour.
  const pagePoints: Record<keyof typeof TARGET_MS, number> = { '24 h': 24, '7 d': 168 };
  const m = `/monitoring/models/${MODEL}`;
  const endpoints: [string, (range: string, points: number) => string][] = [
    ['models', () => '/monitoring/models'],
    ['traffic (the page: points per range)', (r, p) => `${m}/traffic?${r}&points=${p}`],
    ['traffic (points=60, not the page)', (r) => `${m}/traffic?${r}&points=60`],
    ['drift (the page: jensen_shannon)', (r, p) => `${m}/drift?${r}&points=${p}&statistic=jensen_shannon`],
    ['drift (the page: verdicts)', (r, p) => `${m}/drift?${r}&points=${p}&statistic=drift`],
    ['drift (every statistic, not the page)', (r) => `${m}/drift?${r}`],
    ['data-quality', (r, p) => `${m}/data-quality?${r}&points=${p}`],
    ['performance (windows=all)', (r, p) => `${m}/performance?${r}&points=${p}&windows=all`],
    ['performance (aligned windows)', (r) => `${m}/performance?${r}`],
    ['comparison (the page: points=1, the newest window)', (r) => `${m}/comparison?${r}&points=1`],
    ['comparison (48 points)', (r) => `${m}/comparison?${r}`],
    ['comparison (points=1000: every window)', (r) => `${m}/comparison?${r}&points=1000`],
    ['histogram', (r) => `${m}/features/Income/histogram?${r}`],
    ['alerts', (r) => `/alerts?model=${MODEL}&limit=50&since=${r.split('&')[0].slice(5)}`],
    ['training-jobs', () => '/training-jobs?limit=10'],
    ['alias history', () => `/models/${MODEL}/aliases/production/history`],
  ];
  const baseline = await time(`${base}/health/live`, accessToken);
  const b50 = quantile(baseline, 0.5);
  console.log(`baseline GET /health/live: p50 ${b50.toFixed(1)} ms, p95 ${quantile(baseline, 0.95).toFixed(1)} ms`);
  console.log('| endpoint | range | p50 ms | p95 ms | p50 ÷ baseline | target p95 | |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [name, path] of endpoints)
    for (const [label, span] of Object.entries(ranges) as [keyof typeof TARGET_MS, number][]) {
      const range = `from=${new Date(now.getTime() - span).toISOString()}&to=${now.toISOString()}`;
      const ms = await time(`${base}${path(range, pagePoints[label])}`, accessToken);
      const [p50, p95] = [quantile(ms, 0.5), quantile(ms, 0.95)];
      const ok = p95 < TARGET_MS[label] ? 'ok' : 'MISSED';
      console.log(
        `| ${name} | ${label} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${(p50 / b50).toFixed(0)}× | < ${TARGET_MS[label]} | ${ok} |`,
      );
    }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
