/**
 * The monitoring state a week of traffic leaves, written straight into a scratch database for
 * `bench:dashboard`: per-replica minute buckets of production, canary and shadow (real buckets,
 * counted by BucketAccumulator from credit rows with request latencies) and their hourly roll-ups
 * (BucketRollups, as the window job makes them), replica_counts of every minute, monitoring.results
 * as the window job writes them every minute (one real window's rows, repeated with jitter) and the
 * realised-quality job once per aligned hour, and a few alerts and training jobs.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { DEFAULT_DRIFT_SETTINGS, mulberry32, type BundleMeta } from '../../src/ml';
import { BucketAccumulator } from '../../src/monitoring/buckets/bucket-accumulator';
import { sumAggregates, type BucketAggregate } from '../../src/monitoring/buckets/bucket-aggregate';
import { bucketDrift } from '../../src/monitoring/buckets/bucket-drift';
import { planFor } from '../../src/monitoring/buckets/bucket-plan';
import { BucketRollups } from '../../src/monitoring/buckets/bucket-rollups.service';
import { MonitoringResults } from '../../src/monitoring/results/monitoring-results';
import { estimateWindowQuality } from '../../src/monitoring/windows/window-estimate';
import { windowRows } from '../../src/monitoring/windows/window-results';
import { output, type Values } from '../../test/support/bucket-fixture';

export const MODEL = 'credit';
export const DAYS = 7;
const MINUTE = 60_000;
const REPLICAS = 2;
const VARIANTS = 16;
/** Versions as the bench's registry serves them. */
export const SERVED = [
  { version: 1, alias: 'production' },
  { version: 2, alias: 'canary' },
  { version: 3, alias: 'shadow' },
] as const;

export interface SeededState {
  /** Callers' predictions counted into the buckets (shadow scoring apart). */
  predictions: number;
  buckets: number;
  rollups: number;
  replicaCounts: number;
  results: number;
}

/** Log-normal request latency around 4 ms (a served model's), a tenth of a percent at 200 ms. */
export function latency(rand: () => number): number {
  const z = Math.sqrt(-2 * Math.log(rand() || 1e-9)) * Math.cos(2 * Math.PI * rand());
  return rand() < 0.001 ? 200 : Math.exp(Math.log(4) + 0.5 * z);
}

/** VARIANTS real buckets per alias: `perMinute` callers' predictions a replica-minute, 90% production. */
function templates(meta: BundleMeta, rows: Values[], perMinute: number) {
  const rand = mulberry32(5);
  let cursor = 0;
  const make = (version: number, alias: string, n: number) => {
    const acc = new BucketAccumulator();
    for (let i = 0; i < n; i++) {
      const values = [rows[cursor++ % rows.length]];
      acc.observe({
        model: MODEL,
        version,
        alias,
        at: 0,
        latencyMs: latency(rand),
        meta,
        values,
        outputs: [output(rand())],
      });
    }
    return acc.seal(0, true)[0].aggregate;
  };
  return Array.from({ length: VARIANTS }, () => {
    const n = Math.round(perMinute * (0.8 + 0.4 * rand()));
    const canary = Math.round(n * 0.1);
    return {
      n,
      production: make(1, 'production', n - canary),
      canary: make(2, 'canary', canary),
      shadow: make(3, 'shadow', n),
    };
  });
}

async function insertBuckets(ds: DataSource, rows: [number, number, string, BucketAggregate][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await ds.query(
      `INSERT INTO monitoring.buckets (model, version, minute, id, alias, predictions, payload)
       SELECT $1, * FROM unnest($2::int[], $3::timestamptz[], $4::uuid[], $5::text[], $6::int[], $7::jsonb[])`,
      [
        MODEL,
        chunk.map((r) => r[1]),
        chunk.map((r) => new Date(r[0])),
        chunk.map(() => randomUUID()),
        chunk.map((r) => r[2]),
        chunk.map((r) => r[3].rows),
        chunk.map((r) => JSON.stringify(r[3])),
      ],
    );
  }
}

/** The buckets, roll-ups and replica counts of DAYS days of `predictions` callers' predictions ending at `end`. */
async function seedTraffic(
  ds: DataSource,
  meta: BundleMeta,
  rows: Values[],
  end: number,
  predictions: number,
  step: (what: string) => void,
) {
  const minutes = DAYS * 1440;
  const variants = templates(meta, rows, predictions / minutes / REPLICAS);
  const start = end - minutes * MINUTE;
  let counted = 0;
  const counts: [Date, string, string, number][] = [];
  let batch: [number, number, string, BucketAggregate][] = [];
  for (let m = 0; m < minutes; m++)
    for (let r = 0; r < REPLICAS; r++) {
      const v = variants[(m * 7 + r * 3) % VARIANTS];
      const at = start + m * MINUTE;
      batch.push([at, 1, 'production', v.production], [at, 2, 'canary', v.canary], [at, 3, 'shadow', v.shadow]);
      counted += v.n;
      const replica = `bench-${r}`;
      counts.push([new Date(at), replica, 'predictions_ok', v.n]);
      if ((m + r) % 3 === 0) counts.push([new Date(at), replica, 'predictions_invalid', 1 + ((m * 13) % 3)]);
      if (m % 240 === 0) counts.push([new Date(at), replica, 'predictions_error', 1]);
      if (batch.length >= 6000) {
        await insertBuckets(ds, batch);
        batch = [];
      }
    }
  await insertBuckets(ds, batch);
  step('minute buckets written');
  for (let i = 0; i < counts.length; i += 5000) {
    const c = counts.slice(i, i + 5000);
    await ds.query(
      `INSERT INTO monitoring.replica_counts (minute, replica, counter, model, value)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::bigint[])`,
      [c.map((x) => x[0]), c.map((x) => x[1]), c.map((x) => x[2]), c.map(() => MODEL), c.map((x) => x[3])],
    );
  }
  const rollups = new BucketRollups(ds, loadConfig({ ...process.env, MONITORING_BUCKETS_RETENTION_DAYS: '0' }));
  let rolled = 0;
  for (let tick = await rollups.rollUp(new Date(end)); ; tick = await rollups.rollUp(new Date(end))) {
    rolled += tick.rolled;
    if (!tick.left) break;
  }
  return {
    predictions: counted,
    buckets: minutes * REPLICAS * SERVED.length,
    rollups: rolled,
    replicaCounts: counts.length,
    variants,
  };
}

/**
 * The window job's rows of each version every minute (a 1-hour window ending there), from one real
 * window's rows repeated in SQL with jittered values; realised quality and the shadow's comparison
 * per aligned hour.
 */
async function seedResults(ds: DataSource, meta: BundleMeta, hour: BucketAggregate, end: number): Promise<void> {
  const ref = {
    profile: meta.referenceProfile,
    target: meta.target,
    threshold: 0.5,
    calibration: null,
    plan: planFor(meta),
  };
  const first = end - DAYS * 1440 * MINUTE;
  const rows = SERVED.flatMap(({ version }) =>
    windowRows({
      model: MODEL,
      version,
      from: new Date(first - 60 * MINUTE),
      to: new Date(first),
      report: bucketDrift(hour, meta.referenceProfile, DEFAULT_DRIFT_SETTINGS),
      settings: DEFAULT_DRIFT_SETTINGS,
      estimate: estimateWindowQuality(hour, ref),
    }),
  );
  await new MonitoringResults(ds).write(rows);
  // Each day in one statement, from a copy of those rows: a window ending every minute.
  await ds.query('CREATE TABLE public.bench_results_base AS SELECT * FROM monitoring.results');
  for (let d = 0; d < DAYS; d++)
    await ds.query(
      `INSERT INTO monitoring.results (model, version, window_start, window_end, column_name, statistic, value, verdict, details)
       SELECT r.model, r.version, r.window_start + k * interval '1 minute', r.window_end + k * interval '1 minute',
              r.column_name, r.statistic, r.value * (0.9 + 0.2 * random()), r.verdict, r.details
       FROM public.bench_results_base r CROSS JOIN generate_series($1::int, $2::int) k`,
      [d * 1440 + 1, (d + 1) * 1440],
    );
  // The realised-quality job's windows: aligned hours (MONITORING_WINDOW_MS), each version, the shadow's comparison.
  const realised = ['realised_accuracy', 'realised_roc_auc', 'labelled_share', 'label_delay_p50_seconds'];
  const shadow = ['shadow_pairs', 'shadow_agreement', 'shadow_probability_diff_mean', 'shadow_realised_accuracy'];
  const pairs = SERVED.flatMap(({ version }) =>
    (version === 3 ? [...realised, ...shadow] : realised).map((statistic) => [version, statistic] as const),
  );
  await ds.query(
    `INSERT INTO monitoring.results (model, version, window_start, window_end, column_name, statistic, value, verdict, details)
     SELECT $1, p.version, h, h + interval '1 hour', '', p.statistic, 0.7 + 0.2 * random(), NULL, '{"rows": 3000}'::jsonb
     FROM generate_series(date_trunc('hour', $2::timestamptz) + interval '1 hour', $3::timestamptz - interval '1 hour',
                          interval '1 hour') h
     CROSS JOIN unnest($4::int[], $5::text[]) AS p(version, statistic)`,
    [MODEL, new Date(first), new Date(end), pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
  await ds.query('DROP TABLE public.bench_results_base');
}

/** Alerts firing and resolved over the week, and training jobs (the dashboard's lists). */
async function seedLists(ds: DataSource, end: number): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const at = new Date(end - (i + 1) * 4 * 3_600_000);
    await ds.query(
      `INSERT INTO monitoring.alerts (rule_name, kind, severity, model, subject, state, value, threshold, evidence,
         pending_since, fired_at, resolved_at)
       VALUES ($1, 'feature_drift', 'warning', $2, $3, $4, 0.3, 0.2, $5, $6, $6, $7)`,
      [
        'feature drift',
        MODEL,
        `${MODEL}@v1/Income`,
        i < 2 ? 'firing' : 'resolved',
        JSON.stringify({ measured: 'psi', window: { from: at, to: at } }),
        at,
        i < 2 ? null : new Date(at.getTime() + 3_600_000),
      ],
    );
  }
  const recipe = {
    datasetRef: 'credit',
    target: 'Status',
    task: 'binary',
    family: 'mlp',
    hyperparameters: { epochs: 5 },
  };
  for (let i = 0; i < 30; i++)
    await ds.query(
      `INSERT INTO training.jobs (recipe, dataset_version_id, dataset_version, model_name, request_hash, state, progress,
         created_by, started_at, finished_at, created_at)
       VALUES ($1, $2, 1, $3, $4, 'succeeded', $5, 'user:bench', $6, $6, $6)`,
      [
        JSON.stringify(recipe),
        randomUUID(),
        MODEL,
        randomUUID(),
        JSON.stringify({ epoch: 5, maxEpochs: 5 }),
        new Date(end - i * 6 * 3_600_000),
      ],
    );
}

export async function seedDashboardState(
  ds: DataSource,
  meta: BundleMeta,
  rows: Values[],
  end: number,
  predictions: number,
): Promise<SeededState> {
  const step = (what: string) => process.stderr.write(`${new Date().toISOString()} ${what}\n`);
  const traffic = await seedTraffic(ds, meta, rows, end, predictions, step);
  const hour = sumAggregates(Array.from({ length: 60 }, (_, i) => traffic.variants[i % VARIANTS].production))!;
  step('buckets, roll-ups and replica counts written');
  await seedResults(ds, meta, hour, end);
  step('results written');
  await seedLists(ds, end);
  await ds.query('ANALYZE');
  const [{ n }] = await ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM monitoring.results');
  return {
    predictions: traffic.predictions,
    buckets: traffic.buckets,
    rollups: traffic.rollups,
    replicaCounts: traffic.replicaCounts,
    results: n,
  };
}
