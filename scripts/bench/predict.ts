/**
 * Predict benchmark (prints figures; not a test): `npm run bench:predict -- [seconds]`.
 * Trains the credit model on data/credit_data.csv (src/ml trainModel), then on a throw-away
 * database (bench_predict_<pid>, migrated by the app, dropped at the end) measures with
 * autocannon, 32 connections, each server in its own process: a bare node:http server parsing
 * the same JSON body (the floor), and single-record predict with a JWT on two servers with the
 * prediction log on and two with it off (INFERENCE_LOG_ENABLED=false): the logging cost compares
 * the pairs, and how far apart the two servers of a pair measure (same code) is the noise of the
 * run. Two more have the log on and the monitoring buckets off (MONITORING_BUCKETS_ENABLED=false):
 * the buckets' cost compares them with the log-on pair (whose buckets are on, the default). The
 * seven run side by side and are loaded in turn, BENCH_CYCLES (5) times `seconds` (4) each
 * after a 2 s warm-up: on a shared machine whose speed drifts from minute to minute, each ratio is
 * taken within one cycle (slices seconds apart) and the median over the cycles is reported.
 * Then, once each: /health/live, predict with an API token, and 100-record batches. Each row
 * also has the CPU per request of the server process and of PostgreSQL (from /proc). Also the
 * model time of one 100-record batch (predictValues, p50 over 500 calls), and how many
 * predictions the log wrote or dropped (buffer full), and how many the buckets counted. BENCH_LOG_LEVEL sets the servers' log level
 * (warn: the access log line of every request is left out). BENCH_MONITORING_JOBS=1 measures instead
 * the monitoring jobs' cost on serving (predict-monitoring-jobs.ts; slices of 60 s: `-- 60`). BENCH_PG_CPUS (e.g. `1`) gives the
 * local PostgreSQL those CPUs and the servers and load generator the others (pin-postgres.ts).
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { createDatabase } from './scratch-database';
import { loadConfig } from '../../src/config/app-config';
import { initBackend } from '../../src/ml/backend';
import { loadBundle } from '../../src/ml/predictor';
import { benchChild, printRuntime } from './child';
import { cpuMs, postgresCpuMs } from './cpu';
import { modelTime } from './model-calls';
import { pinPostgres } from './pin-postgres';
import { monitoringJobsCost } from './predict-monitoring-jobs';
import { median, sum } from './stats';
import { BENCH_EMAIL, BENCH_PASSWORD } from './predict-child';
import { deleteRedisKeys } from '../../test/support/redis-keys';
import { creditData, featuresOf, trainCreditBundle } from '../../test/support/model-fixtures';

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Cannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  method: string;
  body?: string;
  headers: Record<string, string>;
}) => Promise<CannonResult>;
// autocannon ships no type declarations (and @types/autocannon is not a dependency): the slice used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Cannon;

const SLICE_SECONDS = Number(process.argv[2] ?? 4);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 5);
const BARE = 'bare node:http (JSON parsed)';
const HEALTH = 'app GET /health/live';
const LOG_ON = 'predict 1 record, JWT, log on';
const TOKEN = 'predict 1 record, API token, log on';
const BATCH = 'predict 100 records, JWT, log on';
const LOG_ON_2 = 'the same, log on, second server';
const LOG_OFF = 'predict 1 record, JWT, log off';
const LOG_OFF_2 = 'the same, log off, second server';
const BUCKETS_OFF = 'predict 1 record, JWT, log on, buckets off';
const BUCKETS_OFF_2 = 'the same, buckets off, second server';
const CONNECTIONS = 32;
const JWT_SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';

/** One autocannon run against one server, with the CPU both it and PostgreSQL used meanwhile. */
interface Slice {
  rps: number;
  requests: number;
  p50: number;
  p99: number;
  errors: number;
  appMs: number;
  pgMs: number;
  gcMs: number;
}

/** A server and the request the benchmark sends it. */
interface Target {
  name: string;
  child: ChildProcess;
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  token?: string;
}

function start(
  role: 'bare' | 'app' | 'worker',
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; apiToken?: string }> {
  const { path, execArgv } = benchChild('predict-child');
  const child = fork(path, [role], {
    // BENCH_CPU_PROF=dir: V8 CPU profiles of the servers (open in Chrome DevTools) to find hot spots;
    // BENCH_NODE_FLAGS: more flags for the servers (e.g. `--trace-gc`, `--heap-prof --heap-prof-dir=dir`).
    // Every server gets the young-generation size production starts with (Dockerfile NODE_OPTIONS, npm start).
    // --no-memory-reducer: each server idles while the others are loaded, which a loaded production
    // server does not; V8's memory reducer then runs full collections, after which young-generation
    // survivors are promoted for a while, in whichever server it hits, and identical servers measure
    // apart (docs/benchmarks.md).
    execArgv: [
      ...execArgv,
      '--max-semi-space-size=64',
      '--no-memory-reducer',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ...(process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? []),
    ],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      JWT_SECRET,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number; apiToken?: string }) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  if (child.connected) child.disconnect();
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

function run(t: Target, seconds: number): Promise<CannonResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(t.token ? { authorization: `Bearer ${t.token}` } : {}),
  };
  return autocannon({
    url: t.url,
    connections: CONNECTIONS,
    duration: seconds,
    method: t.method ?? 'GET',
    body: t.body,
    headers,
  });
}

/** The server's GC time so far (predict-child answers `gc`). */
function gcMs(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m: { gcMs: number }) => resolve(m.gcMs));
    child.send('gc');
  });
}

async function measure(t: Target, seconds: number): Promise<Slice> {
  const [app0, pg0, gc0] = [cpuMs(t.child.pid!), postgresCpuMs(), await gcMs(t.child)];
  const r = await run(t, seconds);
  return {
    rps: r.requests.average,
    requests: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.non2xx + r.errors + r.timeouts,
    appMs: cpuMs(t.child.pid!) - app0,
    pgMs: postgresCpuMs() - pg0,
    gcMs: (await gcMs(t.child)) - gc0,
  };
}

/** A row of the table: means of throughput, medians of latency, CPU per request over all slices. */
function summarize(slices: Slice[]): {
  rps: number;
  p50: number;
  p99: number;
  worstP99: number;
  errors: number;
  appUs: number;
  pgUs: number;
  gcUs: number;
} {
  const requests = Math.max(1, sum(slices.map((x) => x.requests)));
  return {
    rps: sum(slices.map((x) => x.rps)) / slices.length,
    p50: median(slices.map((x) => x.p50)),
    p99: median(slices.map((x) => x.p99)),
    worstP99: Math.max(...slices.map((x) => x.p99)),
    errors: sum(slices.map((x) => x.errors)),
    appUs: (1000 * sum(slices.map((x) => x.appMs))) / requests,
    pgUs: (1000 * sum(slices.map((x) => x.pgMs))) / requests,
    gcUs: (1000 * sum(slices.map((x) => x.gcMs))) / requests,
  };
}

/** The prediction log's counters from /metrics once its buffer is empty (at most 30 s). */
async function drainedLog(base: string, token: string): Promise<{ written: number; dropped: number }> {
  const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  for (let i = 0; ; i++) {
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    if (metric(text, 'mlapi_prediction_log_buffered') === 0 || i === 60) {
      return {
        written: metric(text, 'mlapi_prediction_log_written_total'),
        dropped: metric(text, 'mlapi_prediction_log_dropped_total'),
      };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Rows in monitoring.buckets and the predictions they count, once every server has stopped (shutdown writes the open minutes). */
function bucketCounts(
  env: ReturnType<typeof loadConfig>['env'],
  db: string,
): Promise<{ rows: number; predictions: number }> {
  return queryOne(
    env,
    db,
    'SELECT count(*)::int AS rows, coalesce(sum(predictions), 0)::int AS predictions FROM monitoring.buckets',
  );
}

/** The one row of `sql` on the benchmark's database. */
async function queryOne<R extends object>(
  env: ReturnType<typeof loadConfig>['env'],
  db: string,
  sql: string,
): Promise<R> {
  const client = new Client({
    host: env.PGHOST,
    port: env.PGPORT,
    user: env.PGUSER,
    password: env.PGPASSWORD || undefined,
    database: db,
  });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows[0];
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  printRuntime();
  const env = loadConfig({ ...process.env, JWT_SECRET }).env;
  const pgCpus = process.env.BENCH_PG_CPUS;
  let unpin = () => {};
  const db = `bench_predict_${process.pid}`;
  const scratch = await createDatabase(db, env);
  const dir = mkdtempSync(join(tmpdir(), 'bench-predict-'));
  const redisPrefix = `bench-${process.pid}`;
  const children: ChildProcess[] = [];
  try {
    // Before any server starts, so that every one inherits the CPUs left to the benchmark.
    if (pgCpus) unpin = pinPostgres(pgCpus);
    const data = creditData();
    const t0 = performance.now();
    const bundle = await trainCreditBundle(data, 1, 10);
    process.stdout.write(
      `trained credit model on ${data.records.length} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (backend ${await initBackend()})\n`,
    );
    const bundlePath = join(dir, 'bundle.json');
    writeFileSync(bundlePath, bundle);
    const features = featuresOf(data.records[0]);
    const batch = data.records.slice(0, 100).map(featuresOf);

    // Model time of one 100-record batch, in this (otherwise idle) process.
    const predictor = await loadBundle(bundle);
    const batchTime = modelTime(predictor, batch, 500, 50);
    predictor.dispose();

    const appEnv = { BENCH_DB: db, DB_MIGRATE_ON_START: 'true', REDIS_PREFIX: redisPrefix };
    const one = JSON.stringify({ features });
    const server = async (role: 'bare' | 'app' | 'worker', env: Record<string, string>) => {
      const started = await start(role, env);
      children.push(started.child);
      return started;
    };
    // A server that is then stopped migrates the database, creates the admin, the model and an API
    // token, and logs in, so the servers measured start alike and differ only in their settings.
    const setup = await start('app', { ...appEnv, BENCH_BUNDLE: bundlePath });
    const login = await fetch(`http://127.0.0.1:${setup.port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: BENCH_EMAIL, password: BENCH_PASSWORD }),
    });
    const jwt = ((await login.json()) as { accessToken: string }).accessToken;
    await stop(setup.child);
    const predict = (port: number) => `http://127.0.0.1:${port}/models/credit/predict`;
    if (process.env.BENCH_MONITORING_JOBS) {
      // The option: one log-on server, with and without a worker running the monitoring jobs (predict-monitoring-jobs.ts).
      const served = await server('app', { ...appEnv, INFERENCE_LOG_ENABLED: 'true' });
      // No metrics port: another worker on this machine may hold the default one.
      const worker = await server('worker', { ...appEnv, WORKER_METRICS_PORT: '0' });
      const target: Target = {
        name: LOG_ON,
        child: served.child,
        url: predict(served.port),
        method: 'POST',
        body: one,
        token: jwt,
      };
      await run(target, 2);
      const windows = `SELECT count(DISTINCT (version, window_end))::int AS n FROM monitoring.results WHERE statistic = 'drift'`;
      return await monitoringJobsCost({
        measure: () => measure(target, SLICE_SECONDS),
        worker: worker.child,
        cycles: CYCLES,
        windowsWritten: async () => (await queryOne<{ n: number }>(env, db, windows)).n,
      });
    }
    const bare = await server('bare', {});
    const on = await server('app', { ...appEnv, INFERENCE_LOG_ENABLED: 'true' });
    const off = await server('app', { ...appEnv, INFERENCE_LOG_ENABLED: 'false' });
    const on2 = await server('app', { ...appEnv, INFERENCE_LOG_ENABLED: 'true' });
    const off2 = await server('app', { ...appEnv, INFERENCE_LOG_ENABLED: 'false' });
    const noBuckets = { ...appEnv, INFERENCE_LOG_ENABLED: 'true', MONITORING_BUCKETS_ENABLED: 'false' };
    const bucketsOff = await server('app', noBuckets);
    const bucketsOff2 = await server('app', noBuckets);
    const base = `http://127.0.0.1:${on.port}`;

    // The servers the targets compare, loaded in turn, cycle after cycle.
    const cycled: Target[] = [
      { name: BARE, child: bare.child, url: `http://127.0.0.1:${bare.port}/`, method: 'POST', body: one },
      { name: LOG_ON, child: on.child, url: predict(on.port), method: 'POST', body: one, token: jwt },
      { name: LOG_OFF, child: off.child, url: predict(off.port), method: 'POST', body: one, token: jwt },
      { name: LOG_ON_2, child: on2.child, url: predict(on2.port), method: 'POST', body: one, token: jwt },
      { name: LOG_OFF_2, child: off2.child, url: predict(off2.port), method: 'POST', body: one, token: jwt },
      {
        name: BUCKETS_OFF,
        child: bucketsOff.child,
        url: predict(bucketsOff.port),
        method: 'POST',
        body: one,
        token: jwt,
      },
      {
        name: BUCKETS_OFF_2,
        child: bucketsOff2.child,
        url: predict(bucketsOff2.port),
        method: 'POST',
        body: one,
        token: jwt,
      },
    ];
    for (const t of cycled) await run(t, 2);
    const slices = new Map<string, Slice[]>(cycled.map((t) => [t.name, []]));
    for (let c = 0; c < CYCLES; c++) for (const t of cycled) slices.get(t.name)!.push(await measure(t, SLICE_SECONDS));
    // Once each, on the log-on server.
    const once: Target[] = [
      { name: HEALTH, child: on.child, url: `${base}/health/live` },
      { name: TOKEN, child: on.child, url: predict(on.port), method: 'POST', body: one, token: setup.apiToken },
      {
        name: BATCH,
        child: on.child,
        url: predict(on.port),
        method: 'POST',
        body: JSON.stringify({ instances: batch }),
        token: jwt,
      },
    ];
    for (const t of once) {
      await run(t, 2);
      slices.set(t.name, [await measure(t, 2 * SLICE_SECONDS)]);
    }
    const log = await drainedLog(base, jwt);

    // Ratios within a cycle, then their median: drift between cycles cancels out.
    // Each side may be a pair of servers, whose req/s add up within the cycle.
    const rps = (names: string | string[], i: number) => sum([names].flat().map((n) => slices.get(n)![i].rps));
    const perCycle = (a: string | string[], b: string | string[]) =>
      slices.get(BARE)!.map((_, i) => rps(a, i) / rps(b, i));
    const ratio = (a: string | string[], b: string | string[]) => median(perCycle(a, b));
    const vsBare = new Map(
      [LOG_ON, LOG_ON_2, LOG_OFF, LOG_OFF_2, BUCKETS_OFF, BUCKETS_OFF_2].map((name) => [name, ratio(name, BARE)]),
    );
    const rows = new Map(
      [BARE, HEALTH, LOG_ON, LOG_ON_2, TOKEN, BATCH, LOG_OFF, LOG_OFF_2, BUCKETS_OFF, BUCKETS_OFF_2].map((name) => [
        name,
        summarize(slices.get(name)!),
      ]),
    );
    const floor = rows.get(BARE)!.rps;
    process.stdout.write(
      `\nautocannon, ${CONNECTIONS} connections; bare, log on, log off, log on, log off, buckets off and buckets off in turn, ${CYCLES} cycles of ${SLICE_SECONDS} s each; the rest ${2 * SLICE_SECONDS} s once\n` +
        (pgCpus
          ? `PostgreSQL on CPUs ${pgCpus} alone, the servers and autocannon on the others (BENCH_PG_CPUS); the bare server now shares autocannon's CPU, so judge the vs-bare and p99 targets without it\n`
          : `PostgreSQL, the servers and autocannon share every CPU\n`) +
        `req/s: mean over the slices; p50/p99: median over the slices (worst slice's p99 below); vs bare: median of the per-cycle ratios (the cycled servers), else req/s over bare's mean\n`,
    );
    process.stdout.write(
      `${'server'.padEnd(40)}${'req/s'.padStart(10)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'vs bare'.padStart(9)}${'errors'.padStart(8)}${'app µs/req'.padStart(12)}${'pg µs/req'.padStart(11)}${'gc µs/req'.padStart(11)}\n`,
    );
    for (const [name, r] of rows) {
      const share = vsBare.get(name) ?? (name === BARE ? 1 : r.rps / floor);
      process.stdout.write(
        `${name.padEnd(40)}${r.rps.toFixed(0).padStart(10)}${String(r.p50).padStart(8)}${String(r.p99).padStart(8)}${(100 * share).toFixed(1).padStart(8)}%${String(r.errors).padStart(8)}` +
          `${r.appUs.toFixed(1).padStart(12)}${r.pgUs.toFixed(1).padStart(11)}${r.gcUs.toFixed(1).padStart(11)}\n`,
      );
    }
    const logOn = rows.get(LOG_ON)!;
    // Both servers of each side, for the CPU per request.
    const logOnPair = summarize([...slices.get(LOG_ON)!, ...slices.get(LOG_ON_2)!]);
    const logOffPair = summarize([...slices.get(LOG_OFF)!, ...slices.get(LOG_OFF_2)!]);
    const onShare = vsBare.get(LOG_ON)!;
    process.stdout.write(
      `per-cycle predict+log vs bare: ${slices
        .get(LOG_ON)!
        .map((x, i) => `${((100 * x.rps) / slices.get(BARE)![i].rps).toFixed(1)}%`)
        .join(' ')}; worst slice p99 ${logOn.worstP99} ms\n`,
    );
    process.stdout.write(
      `\nmodel time, one 100-record batch (predictValues): p50 ${batchTime.p50.toFixed(3)} ms, p99 ${batchTime.p99.toFixed(3)} ms\n`,
    );
    process.stdout.write(
      `prediction log over the runs with it on: ${log.written} written, ${log.dropped} dropped (buffer full) = ${((100 * log.dropped) / (log.written + log.dropped)).toFixed(1)}% lost\n`,
    );
    // In a CPU-bound server throughput is the inverse of CPU per request, and CPU per request does
    // not depend on how much of the shared machine a run happened to get: the steadier estimate.
    const byCpu = (a: number, b: number) => 100 * (1 - b / a);
    const appCost = byCpu(logOnPair.appUs, logOffPair.appUs);
    const withPg = byCpu(logOnPair.appUs + logOnPair.pgUs, logOffPair.appUs + logOffPair.pgUs);
    const logCost = 100 * (1 - ratio([LOG_ON, LOG_ON_2], [LOG_OFF, LOG_OFF_2]));
    const costPerCycle = perCycle([LOG_ON, LOG_ON_2], [LOG_OFF, LOG_OFF_2]).map((r) => 100 * (1 - r));
    // Identical servers measure this far apart: a logging cost closer than this to its target is not decided by this run.
    const noiseOn = 100 * Math.abs(1 - ratio(LOG_ON_2, LOG_ON));
    const noiseOff = 100 * Math.abs(1 - ratio(LOG_OFF_2, LOG_OFF));
    const noise = Math.max(noiseOn, noiseOff);
    process.stdout.write(
      `logging cost: ${logCost.toFixed(1)}% of single-record throughput (both servers of each side, median per cycle); by CPU per request ${appCost.toFixed(1)}% in the app, ${withPg.toFixed(1)}% with PostgreSQL's share on this machine\n`,
    );
    process.stdout.write(`per-cycle logging cost: ${costPerCycle.map((c) => `${c.toFixed(1)}%`).join(' ')}\n`);
    process.stdout.write(
      `noise: the two servers running the same code measured ${noiseOn.toFixed(1)}% apart with the log on, ${noiseOff.toFixed(1)}% with it off (median per cycle)\n`,
    );
    // The buckets: log on both sides, buckets on (the log-on pair) against off (the buckets-off pair).
    const bucketsOffPair = summarize([...slices.get(BUCKETS_OFF)!, ...slices.get(BUCKETS_OFF_2)!]);
    const bucketCost = 100 * (1 - ratio([LOG_ON, LOG_ON_2], [BUCKETS_OFF, BUCKETS_OFF_2]));
    const bucketCostPerCycle = perCycle([LOG_ON, LOG_ON_2], [BUCKETS_OFF, BUCKETS_OFF_2]).map((r) => 100 * (1 - r));
    const bucketAppCost = byCpu(logOnPair.appUs, bucketsOffPair.appUs);
    const noiseBuckets = Math.max(noiseOn, 100 * Math.abs(1 - ratio(BUCKETS_OFF_2, BUCKETS_OFF)));
    // Each server writes its open minute when it stops (stop is a no-op for those already stopped).
    for (const c of children) await stop(c);
    const counted = await bucketCounts(env, db);
    process.stdout.write(
      `buckets cost: ${bucketCost.toFixed(1)}% of single-record throughput (log on both sides; both servers of each side, median per cycle); by CPU per request ${bucketAppCost.toFixed(1)}% in the app\n` +
        `per-cycle buckets cost: ${bucketCostPerCycle.map((c) => `${c.toFixed(1)}%`).join(' ')}; noise: identical servers ${noiseBuckets.toFixed(1)}% apart (the larger of the log-on and buckets-off pairs)\n` +
        `buckets written: ${counted.rows} rows counting ${counted.predictions} predictions (the log wrote ${log.written})\n`,
    );
    process.stdout.write(
      `targets: buckets < 3% of throughput: ${bucketCost.toFixed(1)}% ± ${noiseBuckets.toFixed(1)} ${bucketCost < 3 ? 'OK' : 'MISSED'}; predict+log >= 25% of bare: ${(100 * onShare).toFixed(1)}% ${onShare >= 0.25 ? 'OK' : 'MISSED'}; ` +
        `p99 < 10 ms: ${logOn.p99} ms ${logOn.p99 < 10 ? 'OK' : 'MISSED'}; logging < 10% of throughput: ${logCost.toFixed(1)}% ± ${noise.toFixed(1)} ${logCost < 10 ? 'OK' : 'MISSED'}; ` +
        `batch model time < 2 ms: ${batchTime.p50 < 2 ? 'OK' : 'MISSED'}\n`,
    );
  } finally {
    for (const c of children) await stop(c);
    unpin();
    rmSync(dir, { recursive: true, force: true });
    await scratch.drop();
    await deleteRedisKeys(env.REDIS_URL, redisPrefix);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
