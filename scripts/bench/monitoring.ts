/**
 * Monitoring windows benchmark (prints figures; not a test): `npm run bench:monitoring`.
 * What the window job does for one version of credit_data (13 features): read and add a window's
 * buckets (MonitoringBuckets.sum), then drift, data quality and CBPE (bucketDrift,
 * estimateWindowQuality) and the result rows (windowRows); and, apart, writing those rows. Bucket
 * rows are synthesised (a bucket's size does not depend on its predictions, its numbers do): one
 * real bucket of 3,000 credit rows, its counts and sums scaled to the predictions each minute and
 * replica holds, inserted into a throw-away database (bench_monitoring_<pid>, migrated, dropped
 * at the end). Scenarios: one hour with 10,000 and 10,000,000 predictions, and 7 days, on
 * REPLICAS (2) replicas; BENCH_REPEATS (5) runs after a warm-up. Each scenario is read from the minute
 * buckets alone, then again after the hourly roll-ups of its hours are made (BucketRollups, as the
 * window job does; the time to make them is printed too).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { withScratchDatabase } from './scratch-database';
import { loadConfig } from '../../src/config/app-config';
import { DEFAULT_DRIFT_SETTINGS } from '../../src/ml';
import { BucketAccumulator } from '../../src/monitoring/buckets/bucket-accumulator';
import type { BucketAggregate } from '../../src/monitoring/buckets/bucket-aggregate';
import { bucketDrift } from '../../src/monitoring/buckets/bucket-drift';
import { planFor } from '../../src/monitoring/buckets/bucket-plan';
import { BucketRollups, ROLLUP_HOURS_PER_TICK } from '../../src/monitoring/buckets/bucket-rollups.service';
import { MonitoringBuckets, type BucketWindow } from '../../src/monitoring/buckets/monitoring-buckets.service';
import { MonitoringResults } from '../../src/monitoring/results/monitoring-results';
import type { VersionReference } from '../../src/monitoring/windows/version-references';
import { estimateWindowQuality } from '../../src/monitoring/windows/window-estimate';
import { windowRows } from '../../src/monitoring/windows/window-results';
import { creditMeta, output } from '../../test/support/bucket-fixture';
import { printRuntime } from './child';
import { spread } from './stats';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const REPLICAS = Number(process.env.REPLICAS ?? 2);
const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 15);

/** A deep copy of `agg` with every count and sum × `k` (a bucket of k times the predictions). */
function scaled(agg: BucketAggregate, k: number): BucketAggregate {
  const s = (xs: number[]) => xs.map((x) => x * k);
  const copy = structuredClone(agg);
  copy.rows = Math.round(agg.rows * k);
  for (const n of copy.numeric) {
    Object.assign(n, { counts: s(n.counts), sums: s(n.sums), below: n.below * k, above: n.above * k });
    Object.assign(n, {
      belowSum: n.belowSum * k,
      aboveSum: n.aboveSum * k,
      missing: n.missing * k,
      squares: n.squares * k,
    });
  }
  for (const c of copy.categories) {
    c.counts = s(c.counts);
    c.missing *= k;
    c.unseen = c.unseen.map(([v, x]) => [v, x * k]);
  }
  copy.prediction.classes = s(copy.prediction.classes);
  for (const h of copy.prediction.probabilities) Object.assign(h, { counts: s(h.counts), sums: s(h.sums) });
  return copy;
}

async function insert(ds: DataSource, version: number, minutes: number, perBucket: BucketAggregate): Promise<void> {
  const payload = JSON.stringify(perBucket);
  const rows: [number, string][] = [];
  for (let m = 0; m < minutes; m++) for (let r = 0; r < REPLICAS; r++) rows.push([m, randomUUID()]);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await ds.query(
      `INSERT INTO monitoring.buckets (model, version, minute, id, alias, predictions, payload)
       SELECT 'credit', $1, t, id, 'production', $2, $3::jsonb FROM unnest($4::timestamptz[], $5::uuid[]) AS u(t, id)`,
      [version, perBucket.rows, payload, chunk.map(([m]) => new Date(T0 + m * MINUTE)), chunk.map(([, id]) => id)],
    );
  }
}

async function main(): Promise<void> {
  printRuntime();
  await withScratchDatabase('bench_monitoring', async (ds) => {
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
        outputs: [output((i % 97) / 96)],
      }),
    );
    const base = acc.seal(T0, true)[0].aggregate;
    const ref: VersionReference = {
      profile: meta.referenceProfile,
      target: meta.target,
      threshold: 0.5,
      calibration: null,
      plan: planFor(meta),
    };
    const scenarios = [
      { name: '1 h, 10,000 predictions', version: 1, minutes: 60, predictions: 10_000 },
      { name: '1 h, 10,000,000 predictions', version: 2, minutes: 60, predictions: 10_000_000 },
      { name: '7 days, 10,000,000 an hour', version: 3, minutes: 7 * 24 * 60, predictions: 7 * 24 * 10_000_000 },
    ];
    const buckets = new MonitoringBuckets(ds);
    const results = new MonitoringResults(ds);
    console.log(
      `bucket payload: ${(JSON.stringify(base).length / 1024).toFixed(1)} KB; replicas: ${REPLICAS}; repeats: ${REPEATS}`,
    );
    const config = loadConfig({ ...process.env, MONITORING_BUCKETS_RETENTION_DAYS: '0' });
    const rollups = new BucketRollups(ds, config);
    const measure = async (label: string, window: BucketWindow) => {
      const read: number[] = [];
      const compute: number[] = [];
      const write: number[] = [];
      let rows = 0;
      for (let i = 0; i <= REPEATS; i++) {
        const t0 = performance.now();
        const [summed] = await buckets.sum(window);
        const t1 = performance.now();
        const report = bucketDrift(summed.aggregate, ref.profile, DEFAULT_DRIFT_SETTINGS);
        const out = windowRows({
          ...window,
          version: window.version!,
          report,
          settings: DEFAULT_DRIFT_SETTINGS,
          estimate: estimateWindowQuality(summed.aggregate, ref),
        });
        const t2 = performance.now();
        await results.write(out);
        const t3 = performance.now();
        rows = summed.buckets;
        if (i === 0) continue; // warm-up
        read.push(t1 - t0);
        compute.push(t2 - t1);
        write.push(t3 - t2);
      }
      const total = read.map((r, i) => r + compute[i]);
      console.log(
        `${label.padEnd(44)} ${String(rows).padStart(6)} bucket rows: read+sum ${spread(read)} ms, drift+CBPE ${spread(compute)} ms, total ${spread(total)} ms; writing the rows ${spread(write)} ms`,
      );
    };
    for (const s of scenarios) {
      await insert(ds, s.version, s.minutes, scaled(base, s.predictions / (s.minutes * REPLICAS) / base.rows));
      await ds.query('ANALYZE monitoring.buckets');
      const window = { model: 'credit', version: s.version, from: new Date(T0), to: new Date(T0 + s.minutes * MINUTE) };
      await measure(`${s.name}, minutes only`, window);
      // A tick just after the synthetic buckets end rolls them all up (in ticks of ROLLUP_HOURS_PER_TICK).
      const t0 = performance.now();
      let hours = 0;
      for (;;) {
        const tick = await rollups.rollUp(new Date(T0 + s.minutes * MINUTE + 15 * MINUTE));
        hours += tick.rolled;
        if (tick.rolled < ROLLUP_HOURS_PER_TICK) break;
      }
      const made = performance.now() - t0;
      await ds.query('ANALYZE monitoring.buckets_hourly');
      console.log(
        `  rolling up ${hours} hours: ${made.toFixed(0)} ms (${(made / Math.max(hours, 1)).toFixed(1)} ms an hour)`,
      );
      await measure(`${s.name}, hourly roll-ups`, window);
      const ragged = { ...window, from: new Date(T0 + 17 * MINUTE), to: new Date(T0 + (s.minutes - 23) * MINUTE) };
      await measure(`${s.name}, roll-ups + ragged edges`, ragged);
    }
  });
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
