/**
 * Dashboard stream benchmark (prints figures; not a test): `npm run bench:dashboard-stream -- [seconds]`.
 * Two replicas on a throw-away database (bench_dashboard_<pid>) and one Redis prefix: B, the real
 * app in its own process (scripts/bench/predict-child.ts, serving the credit model), and A, the
 * real app in this process. Measures
 * - the delay from an event published on A (`AlertChanged` through A's EventBus, so Redis pub/sub
 *   carries it) to its arrival on a stream opened on B: BENCH_EVENTS (300) events 20 ms apart,
 *   once with B idle and once while autocannon loads B's predict endpoint (32 connections);
 * - the cost of 20 open streams on B's single-record predict throughput (bench:predict's request,
 *   32 connections): slices of `seconds` (4) with 0 and with 20 streams, alternating (order swapped
 *   every cycle), BENCH_CYCLES (5) cycles, while A publishes 20 events a second throughout, so
 *   both sides handle the same events and differ in the streams only; the ratio is taken within
 *   each cycle and its median reported, and beside it the ratio of B's CPU time per request (from
 *   /proc), steadier on a shared machine: in a CPU-bound server throughput is its inverse.
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDatabase } from './scratch-database';
import { createHttpApp } from '../../src/bootstrap/create-app';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { EventBus } from '../../src/events';
import { AlertChanged } from '../../src/monitoring';
import { deleteRedisKeys } from '../../test/support/redis-keys';
import { creditData, featuresOf, trainCreditBundle } from '../../test/support/model-fixtures';
import { SseClient } from '../../test/support/sse-client';
import { benchChild, printRuntime } from './child';
import { cpuMs } from './cpu';
import { BENCH_EMAIL, BENCH_PASSWORD } from './predict-child';
import { median } from './stats';

type Cannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  method: string;
  body?: string;
  headers: Record<string, string>;
}) => Promise<{ requests: { average: number; total: number }; non2xx: number; errors: number }>;
// autocannon ships no type declarations (and @types/autocannon is not a dependency): the slice used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Cannon;

const SLICE_SECONDS = Number(process.argv[2] ?? 4);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 5);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 300);
const STREAMS = 20;
const CONNECTIONS = 32;
const JWT_SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function startB(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const { path, execArgv } = benchChild('predict-child');
  const child = fork(path, ['app'], {
    execArgv: [...execArgv, '--max-semi-space-size=64'],
    env: { ...process.env, NODE_ENV: 'production', JWT_SECRET, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`replica B exited with ${code}`)));
  });
}

/** A's publisher: `perSecond` alert events until stopped. */
function steadyEvents(bus: EventBus, perSecond: number): () => void {
  let n = 0;
  const timer = setInterval(() => void bus.publish(AlertChanged, alert(`steady-${n++}`)), 1000 / perSecond);
  return () => clearInterval(timer);
}

function alert(alertId: string) {
  return {
    alertId,
    ruleId: null,
    ruleName: 'bench',
    kind: 'error_rate' as const,
    severity: 'info' as const,
    model: 'credit',
    subject: 'credit',
    state: 'firing' as const,
    value: 0.5,
    threshold: 0.1,
    at: new Date().toISOString(),
  };
}

async function main(): Promise<void> {
  printRuntime();
  const env = loadConfig({ ...process.env, JWT_SECRET }).env;
  const db = `bench_dashboard_${process.pid}`;
  const redisPrefix = `bench-dash-${process.pid}`;
  const scratch = await createDatabase(db, env);
  const dir = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));
  let b: ChildProcess | undefined;
  let a: Awaited<ReturnType<typeof createHttpApp>> | undefined;
  const streams: SseClient[] = [];
  try {
    const data = creditData();
    const bundlePath = join(dir, 'bundle.json');
    writeFileSync(bundlePath, await trainCreditBundle(data, 1, 10));
    const started = await startB({
      BENCH_DB: db,
      BENCH_BUNDLE: bundlePath,
      DB_MIGRATE_ON_START: 'true',
      REDIS_PREFIX: redisPrefix,
      APP_ROLE: 'api',
    });
    b = started.child;
    const base = `http://127.0.0.1:${started.port}`;
    a = await createHttpApp({
      config: new AppConfig({ ...env, PGDATABASE: db, REDIS_PREFIX: redisPrefix, APP_ROLE: 'api', LOG_LEVEL: 'warn' }),
    });
    const bus = a.get(EventBus);
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: BENCH_EMAIL, password: BENCH_PASSWORD }),
    });
    const jwt = ((await login.json()) as { accessToken: string }).accessToken;
    const openStream = async () => {
      const res = await fetch(`${base}/dashboard/stream-tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt}` },
      });
      const { ticket } = (await res.json()) as { ticket: string };
      const opened = await SseClient.open(`${base}/dashboard/stream?ticket=${ticket}`);
      if (!opened.client) throw new Error(`stream refused: ${opened.status} ${JSON.stringify(opened.body)}`);
      await opened.client.next((e) => e.event === 'hello');
      streams.push(opened.client);
      return opened.client;
    };
    const load = (seconds: number) =>
      autocannon({
        url: `${base}/models/credit/predict`,
        connections: CONNECTIONS,
        duration: seconds,
        method: 'POST',
        body: JSON.stringify({ features: featuresOf(data.records[0]) }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
      });
    await load(2);

    // Delay: A publishes, B's stream receives.
    const delays = async (label: string) => {
      const stream = await openStream();
      const sent = new Map<string, number>();
      for (let i = 0; i < EVENTS; i++) {
        const id = `${label}-${i}`;
        sent.set(id, performance.now());
        await bus.publish(AlertChanged, alert(id));
        await sleep(20);
      }
      const last = `${label}-${EVENTS - 1}`;
      await stream.next((e) => e.event === 'alert' && e.data.alertId === last);
      const ms = stream.events
        .filter((e) => e.event === 'alert' && sent.has(e.data.alertId))
        .map((e) => e.at - sent.get(e.data.alertId)!)
        .sort((x, y) => x - y);
      stream.close();
      return { received: ms.length, p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), max: ms[ms.length - 1] };
    };
    const idle = await delays('idle');
    const loadSeconds = Math.ceil((EVENTS * 22) / 1000) + 2;
    const [loaded] = await Promise.all([delays('loaded'), load(loadSeconds)]);

    // Throughput with 0 and with 20 open streams, alternating, events flowing throughout.
    const stopEvents = steadyEvents(bus, 20);
    const rps: { without: number; with: number }[] = [];
    const cpu = { without: { ms: 0, requests: 0 }, with: { ms: 0, requests: 0 } };
    try {
      for (let c = 0; c < CYCLES; c++) {
        const cycle = { without: 0, with: 0 };
        for (const withStreams of c % 2 === 0 ? [false, true] : [true, false]) {
          const open = withStreams ? await Promise.all(Array.from({ length: STREAMS }, openStream)) : [];
          await sleep(200);
          const cpu0 = cpuMs(b.pid!);
          const r = await load(SLICE_SECONDS);
          if (r.non2xx || r.errors) throw new Error(`predict answered ${r.non2xx} non-2xx and ${r.errors} errors`);
          const side = withStreams ? 'with' : 'without';
          cycle[side] = r.requests.average;
          cpu[side].ms += cpuMs(b.pid!) - cpu0;
          cpu[side].requests += r.requests.total;
          const got = open.map((s) => s.events.filter((e) => e.event === 'alert').length);
          if (withStreams && Math.min(...got) === 0) throw new Error('a stream received no event during its slice');
          for (const s of open) s.close();
        }
        rps.push(cycle);
      }
    } finally {
      stopEvents();
    }
    const ratios = rps.map((r) => r.with / r.without);
    const cost = 100 * (1 - median(ratios));
    const usPerRequest = (side: keyof typeof cpu) => (1000 * cpu[side].ms) / cpu[side].requests;
    const cpuCost = 100 * (1 - usPerRequest('without') / usPerRequest('with'));
    const fmt = (d: typeof idle) =>
      `p50 ${d.p50.toFixed(1)} ms, p95 ${d.p95.toFixed(1)} ms, max ${d.max.toFixed(1)} ms (${d.received} of ${EVENTS} received)`;
    process.stdout.write(
      `\nevent on replica A -> stream on replica B (Redis pub/sub), ${EVENTS} events 20 ms apart\n` +
        `  B idle:                 ${fmt(idle)}\n` +
        `  B under predict load:   ${fmt(loaded)}\n` +
        `\nB's single-record predict, autocannon ${CONNECTIONS} connections, ${CYCLES} cycles of ${SLICE_SECONDS} s slices, 20 events/s from A throughout\n` +
        rps
          .map(
            (r, i) =>
              `  cycle ${i + 1}: 0 streams ${r.without.toFixed(0)} req/s, ${STREAMS} streams ${r.with.toFixed(0)} req/s, ratio ${(100 * ratios[i]).toFixed(1)}%\n`,
          )
          .join('') +
        `  median ratio ${(100 * median(ratios)).toFixed(1)}%: ${STREAMS} open streams cost ${cost.toFixed(1)}% of throughput\n` +
        `  B's CPU per request: ${usPerRequest('without').toFixed(1)} µs with 0 streams, ${usPerRequest('with').toFixed(1)} µs with ${STREAMS}: a cost of ${cpuCost.toFixed(1)}% by CPU\n` +
        `targets: delay under 2 s: max ${Math.max(idle.max, loaded.max).toFixed(0)} ms ${Math.max(idle.max, loaded.max) < 2000 ? 'OK' : 'MISSED'}; ` +
        `${STREAMS} streams under 5%: by throughput ${cost.toFixed(1)}% ${cost < 5 ? 'OK' : 'MISSED'} ` +
        `(per-cycle ratios ${(100 * Math.min(...ratios)).toFixed(0)}–${(100 * Math.max(...ratios)).toFixed(0)}%: a spread wider than the target leaves it undecided), ` +
        `by CPU per request ${cpuCost.toFixed(1)}% ${cpuCost < 5 ? 'OK' : 'MISSED'}\n`,
    );
  } finally {
    for (const s of streams) s.close();
    await a?.close();
    if (b && b.exitCode === null) {
      const exited = new Promise((r) => b!.once('exit', r));
      b.disconnect();
      await Promise.race([exited, sleep(5000)]);
      if (b.exitCode === null) b.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
    await scratch.drop();
    await deleteRedisKeys(env.REDIS_URL, redisPrefix);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
