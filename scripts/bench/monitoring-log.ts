/**
 * Recomputing a window from the raw prediction log (prints figures; not a test):
 * `npm run bench:monitoring-log -- [rows]`. ROWS (1,000,000) credit_data predictions of one version
 * in one hour are inserted into inference.predictions of a throw-away database
 * (bench_monitoring_log_<pid>, migrated, dropped at the end) by one generate_series INSERT: the
 * features are credit_data's rows in turn, the output a binary answer whose positive-class
 * probability walks over [0, 1). Then the `source: log` path is timed (LogAggregates.sum: every
 * page of PredictionReader, counted with the buckets' countRequest; then bucketDrift,
 * estimateWindowQuality and windowRows), beside the path as it was before the next page was
 * prefetched and only the counted columns read (every column of PredictionReader.records, each page
 * read, then counted; alternated with it run by run), and, to say where its time goes, the same pages read by
 * PredictionReader alone (query + JSON parse) and by the same keyset SQL with the JSON columns as
 * text (query + transfer), and countRequest alone on one parsed page counted again and again
 * (accumulate). BENCH_REPEATS (3) runs of each after a warm-up.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { withScratchDatabase } from './scratch-database';
import {
  MAX_PAGE_SIZE,
  PredictionReader,
  maintainPartitions,
  type LogWindow,
  type Prediction,
} from '../../src/inference';
import { emptyAggregate } from '../../src/monitoring/buckets/bucket-aggregate';
import { countRequest } from '../../src/monitoring/buckets/bucket-counting';
import { DEFAULT_DRIFT_SETTINGS, type CellValue } from '../../src/ml';
import { bucketDrift } from '../../src/monitoring/buckets/bucket-drift';
import { planFor } from '../../src/monitoring/buckets/bucket-plan';
import { LogAggregates } from '../../src/monitoring/windows/log-aggregates';
import type { VersionReference, VersionReferences } from '../../src/monitoring/windows/version-references';
import { estimateWindowQuality } from '../../src/monitoring/windows/window-estimate';
import { windowRows } from '../../src/monitoring/windows/window-results';
import { creditMeta } from '../../test/support/bucket-fixture';
import { printRuntime } from './child';
import { spread } from './stats';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 15, 10);

/** ROWS predictions of credit v1 (production) spread evenly over [T0, T0 + 1 h), in one statement. */
async function fill(ds: DataSource, features: Record<string, unknown>[]): Promise<void> {
  await ds.query(`CREATE TEMP TABLE bench_features (i int PRIMARY KEY, features jsonb NOT NULL)`);
  await ds.query(
    `INSERT INTO bench_features SELECT i - 1, f FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(f, i)`,
    [JSON.stringify(features)],
  );
  await ds.query(
    `INSERT INTO inference.predictions (id, created_at, model, version, alias, caller, features, output, latency_ms)
     SELECT gen_random_uuid(), $1::timestamptz + g * ($2::float8 / $3) * interval '1 millisecond', 'credit', 1,
            'production', 'user:bench', f.features::json,
            jsonb_build_object('label', CASE WHEN p >= 0.5 THEN 'good' ELSE 'bad' END,
                               'probabilities', jsonb_build_object('bad', 1 - p, 'good', p))::json,
            1.5
     FROM generate_series(0, $3 - 1) AS g
     CROSS JOIN LATERAL (SELECT ((g::int8 * 7919) % 10007) / 10007.0::float8 AS p) AS prob
     JOIN bench_features f ON f.i = g % $4`,
    [new Date(T0), HOUR, ROWS, features.length],
  );
  await ds.query('ANALYZE inference.predictions');
}

/** The reader's keyset page query (PredictionReader.records), the JSON columns as text. */
function pageQuery(window: LogWindow, after: { micros: string; id: string } | null): [string, unknown[]] {
  const params: unknown[] = [window.model, window.from, window.to];
  let where = 'p.model = $1 AND p.created_at >= $2 AND p.created_at < $3';
  if (after) {
    const time = `timestamptz 'epoch' + $4::int8 * interval '1 microsecond'`;
    where += ` AND p.created_at >= ${time} AND (p.created_at, p.id) > (${time}, $5::uuid)`;
    params.push(after.micros, after.id);
  }
  const sql = `SELECT (extract(epoch FROM p.created_at) * 1000000)::int8::text AS micros, p.id, p.created_at, p.version,
                      p.alias, p.features::text AS features, p.output::text AS output
               FROM inference.predictions p WHERE ${where} ORDER BY p.created_at, p.id LIMIT ${MAX_PAGE_SIZE}`;
  return [sql, params];
}

/** Every page of the window by the reader's keyset SQL, JSON as text (no parse): the query's share. */
async function rawPages(ds: DataSource, window: LogWindow): Promise<number> {
  let rows = 0;
  let after: { micros: string; id: string } | null = null;
  for (;;) {
    const page: { micros: string; id: string }[] = await ds.query(...pageQuery(window, after));
    rows += page.length;
    if (page.length < MAX_PAGE_SIZE) return rows;
    after = page[page.length - 1];
  }
}

/** The plan of the page that starts halfway through the window, as PostgreSQL ran it. */
async function middlePagePlan(ds: DataSource, window: LogWindow): Promise<string[]> {
  const [mid] = await ds.query<{ micros: string; id: string }[]>(
    `SELECT (extract(epoch FROM created_at) * 1000000)::int8::text AS micros, id FROM inference.predictions
     ORDER BY created_at, id OFFSET ${Math.floor(ROWS / 2)} LIMIT 1`,
  );
  const [sql, params] = pageQuery(window, mid);
  const plan = await ds.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
  return plan.map((r) => r['QUERY PLAN']);
}

/** The recount as LogAggregates did it before: every column of each page, read then counted, in turn. */
async function sequentialRecount(reader: PredictionReader, plan: VersionReference['plan'], window: LogWindow) {
  const aggregate = emptyAggregate(plan);
  let after: string | undefined;
  do {
    const page = await reader.records(window, { after, limit: MAX_PAGE_SIZE });
    const values = page.items.map((r) => r.features as Record<string, CellValue>);
    countRequest(
      aggregate,
      plan,
      values,
      page.items.map((r) => r.output as unknown as Prediction),
    );
    after = page.next ?? undefined;
  } while (after);
  return aggregate.rows;
}

async function readerPages(reader: PredictionReader, window: LogWindow): Promise<number> {
  let rows = 0;
  let after: string | undefined;
  do {
    const page = await reader.records(window, { after, limit: MAX_PAGE_SIZE });
    rows += page.items.length;
    after = page.next ?? undefined;
  } while (after);
  return rows;
}

/** `runs` timed REPEATS times after a warm-up; `between` (not timed) runs before each, to alternate two measures. */
async function timed(runs: () => Promise<number>, expected: number, between?: () => Promise<void>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i <= REPEATS; i++) {
    await between?.();
    const t0 = performance.now();
    const rows = await runs();
    if (rows !== expected) throw new Error(`counted ${rows} rows, not ${expected}`);
    if (i > 0) ms.push(performance.now() - t0);
  }
  return ms;
}

async function main(): Promise<void> {
  printRuntime();
  await withScratchDatabase('bench_monitoring_log', async (ds) => {
    await maintainPartitions(ds, new Date(T0), 1, 0);
    const { meta, records, rest } = creditMeta();
    const t0 = performance.now();
    await fill(ds, [...records, ...rest]);
    const size = await ds.query<{ size: string }[]>(
      `SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS size FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'inference.predictions'::regclass`,
    );
    console.log(
      `filled ${ROWS.toLocaleString('en')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (${size[0].size}); repeats: ${REPEATS}`,
    );
    const ref: VersionReference = {
      profile: meta.referenceProfile,
      target: meta.target,
      threshold: 0.5,
      calibration: null,
      plan: planFor(meta),
    };
    const references = { get: () => Promise.resolve(ref) } as unknown as VersionReferences;
    const reader = new PredictionReader(ds);
    const log = new LogAggregates(reader, references);
    const window: LogWindow = { model: 'credit', from: new Date(T0), to: new Date(T0 + HOUR) };

    let statsMs = 0;
    // The two recounts alternate, run after run, so the machine's drift falls on both alike.
    const before: number[] = [];
    const recompute = await timed(
      async () => {
        const [summed] = await log.sum(window);
        const s0 = performance.now();
        const report = bucketDrift(summed.aggregate, ref.profile, DEFAULT_DRIFT_SETTINGS);
        const estimate = estimateWindowQuality(summed.aggregate, ref);
        windowRows({
          model: 'credit',
          version: 1,
          from: window.from,
          to: window.to,
          report,
          settings: DEFAULT_DRIFT_SETTINGS,
          estimate,
          baseline: null,
        });
        statsMs = performance.now() - s0;
        return summed.aggregate.rows;
      },
      ROWS,
      async () => {
        const b0 = performance.now();
        if ((await sequentialRecount(reader, ref.plan, window)) !== ROWS)
          throw new Error('the sequential recount missed rows');
        before.push(performance.now() - b0);
      },
    );
    const parsed = await timed(() => readerPages(reader, window), ROWS);
    const raw = await timed(() => rawPages(ds, window), ROWS);
    // Counting alone: one page of the log, parsed, counted ROWS / MAX_PAGE_SIZE times.
    const page = (await reader.records(window, { limit: MAX_PAGE_SIZE })).items;
    const values = page.map((r) => r.features as Record<string, CellValue>);
    const outputs = page.map((r) => r.output as unknown as Prediction);
    const counted = await timed(
      () => {
        const agg = emptyAggregate(ref.plan);
        for (let n = 0; n < ROWS; n += page.length) countRequest(agg, ref.plan, values, outputs);
        return Promise.resolve(Math.ceil(ROWS / page.length) * page.length);
      },
      Math.ceil(ROWS / page.length) * page.length,
    );
    const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
    const s = (v: number[]) =>
      spread(
        v.map((x) => x / 1000),
        2,
      );
    before.shift(); // the warm-up's
    console.log(`recompute from the log (source: log), ${ROWS.toLocaleString('en')} rows: ${s(recompute)} s`);
    console.log(
      `  before (all columns, each page read then counted): ${s(before)} s; now / before ${(med(recompute) / med(before)).toFixed(3)}`,
    );
    console.log(`  query + transfer (JSON as text):  ${s(raw)} s`);
    console.log(`  + JSON parse (PredictionReader):   ${s(parsed)} s`);
    console.log(`  countRequest alone on parsed pages: ${s(counted)} s`);
    console.log(`  drift, CBPE and rows of the sum: ${statsMs.toFixed(1)} ms`);
    for (const line of await middlePagePlan(ds, window)) console.log(`    ${line}`);
    console.log(`  rows/s: ${Math.round(ROWS / (med(recompute) / 1000)).toLocaleString('en')}`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
