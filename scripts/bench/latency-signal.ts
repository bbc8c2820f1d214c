/**
 * The `latency_p99` alert signal's read (prints figures; not a test): `npm run bench:latency-signal -- [sizes]`.
 * One hour of credit predictions (a real bucket's payload per replica-minute, REPLICAS (2) replicas)
 * grows in steps (sizes, default 100000,1000000,3000000 predictions in the hour) in a throw-away
 * database (bench_latency_signal_<pid>, migrated, dropped at the end): each step adds predictions
 * to inference.predictions (latencies log-normal around 4 ms, a tenth of a percent at 200 ms, as
 * bench:dashboard's) and rewrites the hour's buckets with the latency histograms of the same
 * latencies. Per step, over the hour and over its last 5 minutes (the built-in rule's window):
 * `log`, the query the signal ran before (percentile_cont over the log's latency_ms, as
 * PredictionReader.latencyQuantile did), and `buckets`, LatencySignal.read now; BENCH_REPEATS (5)
 * runs of each after a warm-up, median and spread, and both p99s (the histogram's error bound).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { maintainPartitions } from '../../src/inference';
import { mulberry32 } from '../../src/ml';
import type { AlertRuleEntity } from '../../src/monitoring/alerts/alert-rule.entity';
import { ReplicaCounts } from '../../src/monitoring/alerts/counts/replica-counts';
import { LatencySignal } from '../../src/monitoring/alerts/signals/latency.signal';
import { BucketAccumulator } from '../../src/monitoring/buckets/bucket-accumulator';
import { emptyLatency, latencyBin, LATENCY_RATIO } from '../../src/monitoring/buckets/latency-histogram';
import { MonitoringBuckets } from '../../src/monitoring/buckets/monitoring-buckets.service';
import { creditMeta, output } from '../../test/support/bucket-fixture';
import { printRuntime } from './child';
import { latency } from './dashboard-state';
import { withScratchDatabase } from './scratch-database';
import { median, spread } from './stats';

const SIZES = (process.argv[2] ?? '100000,1000000,3000000').split(',').map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const REPLICAS = 2;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 15, 10);
const CHUNK = 200_000;

/** The signal's query before (PredictionReader.latencyQuantile, removed): every logged row of the window. */
async function logP99(ds: DataSource, from: Date, to: Date): Promise<{ records: number; p99: number }> {
  const [row] = await ds.query<{ records: number; p99: number }[]>(
    `SELECT count(*)::int AS records, percentile_cont(0.99::float8) WITHIN GROUP (ORDER BY p.latency_ms) AS p99
     FROM inference.predictions p WHERE p.model = 'credit' AND p.created_at >= $1 AND p.created_at < $2
       AND p.shadow_of IS NULL`,
    [from, to],
  );
  return row;
}

async function time<T>(run: () => Promise<T>): Promise<{ ms: number[]; value: T }> {
  let value = await run(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    value = await run();
    ms.push(performance.now() - t0);
  }
  return { ms, value };
}

async function main(): Promise<void> {
  printRuntime();
  await withScratchDatabase('bench_latency_signal', async (ds) => {
    await maintainPartitions(ds, new Date(T0), 1, 0);
    const { meta, rest } = creditMeta();
    const acc = new BucketAccumulator();
    rest.slice(0, 3000).forEach((r, i) =>
      acc.observe({
        model: 'credit',
        version: 1,
        alias: 'production',
        at: T0,
        meta,
        values: [r],
        outputs: [output(i / 3000)],
      }),
    );
    const base = acc.seal(T0, true)[0].aggregate;
    const features = JSON.stringify(rest[0]);
    // Histograms per minute and replica, of every latency logged so far.
    const histograms = Array.from({ length: 60 * REPLICAS }, emptyLatency);
    const rand = mulberry32(21);
    const signal = new LatencySignal(new MonitoringBuckets(ds), new ReplicaCounts(ds));
    const rule = {
      kind: 'latency_p99',
      model: 'credit',
      params: { thresholdMs: 500, minRequests: 20 },
    } as unknown as AlertRuleEntity;
    console.log(`replicas: ${REPLICAS}; repeats: ${REPEATS}; histogram error bound: × ${LATENCY_RATIO.toFixed(3)}`);
    console.log(
      '| predictions in the hour | window | log rows read | log query ms (median, spread) | buckets ms | log ÷ buckets | exact p99 | histogram p99 | ratio |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    let logged = 0;
    for (const size of SIZES) {
      for (; logged < size;) {
        const n = Math.min(CHUNK, size - logged);
        const at: Date[] = [];
        const ms = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          // Spread over the hour: each step's rows interleave with the earlier steps'.
          const t = T0 + Math.floor(rand() * HOUR);
          ms[i] = latency(rand);
          at.push(new Date(t));
          const minute = Math.floor((t - T0) / MINUTE);
          histograms[minute * REPLICAS + (i % REPLICAS)][latencyBin(ms[i])]++;
        }
        await ds.query(
          `INSERT INTO inference.predictions (id, created_at, model, version, alias, caller, features, output, latency_ms)
           SELECT gen_random_uuid(), t, 'credit', 1, 'production', 'user:bench', $3::json,
                  '{"label": "good", "probabilities": {"bad": 0.3, "good": 0.7}}'::json, l
           FROM unnest($1::timestamptz[], $2::float4[]) AS u(t, l)`,
          [at, Array.from(ms), features],
        );
        logged += n;
      }
      await ds.query('ANALYZE inference.predictions');
      await ds.query('DELETE FROM monitoring.buckets');
      const payloads = histograms.map((latency) =>
        JSON.stringify({ ...base, rows: latency.reduce((a, b) => a + b, 0), latency }),
      );
      await ds.query(
        `INSERT INTO monitoring.buckets (model, version, minute, id, alias, predictions, payload)
         SELECT 'credit', 1, t, id, 'production', (p->>'rows')::int, p FROM unnest($1::timestamptz[], $2::uuid[], $3::jsonb[]) AS u(t, id, p)`,
        [
          histograms.map((_, k) => new Date(T0 + Math.floor(k / REPLICAS) * MINUTE)),
          histograms.map(() => randomUUID()),
          payloads,
        ],
      );
      for (const [label, from] of [
        ['1 h', new Date(T0)],
        ['5 min', new Date(T0 + HOUR - 5 * MINUTE)],
      ] as const) {
        const to = new Date(T0 + HOUR);
        const before = await time(() => logP99(ds, from, to));
        const after = await time(() => signal.read(rule, { from, to }));
        const [reading] = after.value;
        const ratio = median(before.ms) / median(after.ms);
        console.log(
          `| ${size.toLocaleString('en')} | ${label} | ${before.value.records.toLocaleString('en')} | ${spread(before.ms)} | ` +
            `${spread(after.ms)} | ${ratio.toFixed(0)}× | ${before.value.p99.toFixed(2)} | ${reading.value?.toFixed(2)} | ` +
            `${((reading.value ?? 0) / before.value.p99).toFixed(3)} |`,
        );
      }
    }
  });
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
