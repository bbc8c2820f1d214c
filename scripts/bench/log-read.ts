/**
 * Prediction log reads benchmark (prints figures; not a test): `npm run bench:log-read -- [rows]`.
 * Weighs storage candidates for the log (the type of features/output, the time index) by what
 * monitoring's reads (PredictionReader) take against what the write path pays. Each candidate has
 * a throw-away database of its own (bench_logread_<pid>_<n>: migrated by the app, then changed to
 * the candidate, only the primary key kept; dropped at the end) holding the same ROWS (1,000,000)
 * predictions over one UTC day, in time order as the log writes them: 4 models, each v1 (alias
 * production, 70%) and v2 (alias canary 20%, named version 10%); a quarter get feedback.
 * Writes: the rows go in as the log writes them (appendLogRows' binary rows in PredictionBuffer's batches
 * of INFERENCE_LOG_BATCH_SIZE, PredictionLog's COPY of up to BATCHES_PER_WRITE batches; encoded
 * beforehand, not timed) in chunks of 100,000, each chunk into every candidate in turn (which goes
 * first rotates), so the machine's drift hits all alike: rows/s of the COPYs, CPU of PostgreSQL's
 * backend doing them (/proc) a row, and each chunk's ratio to today's storage. A jsonb column's
 * binary COPY form is its text after a version byte, which the log's encoder does not write: the
 * bench adds it for the jsonb candidates (choosing jsonb would take that change in the encoder).
 * Reads: the real PredictionReader (and one SQL aggregate over features) on a one-hour window of
 * one model+version (and on a day), candidates in turn, BENCH_REPEATS (5) times after a warm-up:
 * first as written (ANALYZE only; autovacuum is off on the bench tables so it cannot run in the
 * middle), then after VACUUM (pages all-visible: index-only scans need no heap).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Client, type ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { MAX_PAGE_SIZE, PredictionReader, maintainPartitions, type LogWindow, type Page } from '../../src/inference';
import { LOG_COLUMNS, appendLogRows, type AnsweredRequest } from '../../src/inference/prediction-log/log-rows';
import { PredictionBuffer } from '../../src/inference/prediction-log/prediction-buffer';
import { BATCHES_PER_WRITE, copyInto } from '../../src/inference/prediction-log/prediction-log.service';
import { mulberry32, type Rng } from '../../src/ml/random';
import { creditData, featuresOf } from '../../test/support/model-fixtures';
import { printRuntime } from './child';
import { cpuMs } from './cpu';
import { median, spread } from './stats';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const CHUNK_ROWS = 100_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The logged day (any past UTC day: its partition is made here). */
const DAY = Date.UTC(2025, 0, 15);
const MODELS = ['credit', 'churn', 'fraud', 'upsell'];

interface Candidate {
  name: string;
  json: 'json' | 'jsonb';
  /** What follows `CREATE INDEX … ON inference.predictions`. */
  index: string;
  /**
   * A BRIN range is summarized (searchable) only by VACUUM, or with autosummarize by an autovacuum
   * worker soon after the range fills; ranges not summarized are read whole by every query. The
   * bench runs what that worker runs, brin_summarize_new_values, after each chunk's COPYs, inside
   * the chunk's time and CPU.
   */
  summarize?: boolean;
}

const CANDIDATES: Candidate[] = [
  { name: 'json, BRIN (created_at) [today]', json: 'json', index: 'USING brin (created_at)' },
  {
    name: 'json, BRIN (created_at), autosummarize',
    json: 'json',
    index: 'USING brin (created_at) WITH (autosummarize = on)',
    summarize: true,
  },
  { name: 'json, btree (model, version, created_at)', json: 'json', index: '(model, version, created_at)' },
  { name: 'json, btree (model, created_at)', json: 'json', index: '(model, created_at)' },
  { name: 'jsonb, BRIN (created_at)', json: 'jsonb', index: 'USING brin (created_at)' },
];

/**
 * A candidate's database: a connection that writes, and the app's reader on a pool of one; the CPU
 * of both backends is measured.
 */
interface Db {
  candidate: Candidate;
  name: string;
  writer: Client;
  writerPid: number;
  ds: DataSource;
  readerPid: number;
  reader: PredictionReader;
}

/** A chunk's rows, encoded as the log encodes them, in batches; and as the jsonb candidates take them. */
interface Encoded {
  rows: number;
  json: Buffer[];
  jsonb: Buffer[];
}

interface Write {
  rowsPerSecond: number;
  backendUsPerRow: number;
}

/** One read measured: what it returns is counted, and every candidate must count the same. */
interface Read {
  name: string;
  run: (db: Db) => Promise<number>;
}

async function setUp(admin: Client, connection: ClientConfig, candidate: Candidate, n: number): Promise<Db> {
  const name = `bench_logread_${process.pid}_${n}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  const config = loadConfig({ ...process.env, PGDATABASE: name, DB_POOL_SIZE: '1' });
  // Quiet: the app's logger prints each migration, and the bench's ANALYZE and VACUUM as slow queries.
  // Its one connection is never closed while idle, so that its backend is the one measured.
  const options = dataSourceOptions(config);
  const extra = { ...(options.extra as object), idleTimeoutMillis: 0 };
  const ds = new DataSource({
    ...options,
    extra,
    logger: 'simple-console',
    logging: ['error'],
    maxQueryExecutionTime: undefined,
  });
  await ds.initialize();
  await ds.runMigrations();
  // The candidate's storage in place of what the migrations made; only the primary key is kept.
  const indexes = await ds.query<{ indexname: string }[]>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = 'inference' AND tablename = 'predictions' AND indexname <> 'predictions_pkey'`,
  );
  for (const { indexname } of indexes) await ds.query(`DROP INDEX inference."${indexname}"`);
  const type = candidate.json;
  await ds.query(
    `ALTER TABLE inference.predictions ALTER COLUMN features TYPE ${type} USING features::${type}, ALTER COLUMN output TYPE ${type} USING output::${type}`,
  );
  await ds.query(`CREATE INDEX predictions_bench_idx ON inference.predictions ${candidate.index}`);
  await maintainPartitions(ds, new Date(DAY), 1, 0);
  const partitions = await ds.query<{ relname: string }[]>(
    `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'inference.predictions'::regclass`,
  );
  for (const { relname } of [...partitions, { relname: 'feedback' }])
    await ds.query(`ALTER TABLE inference.${relname} SET (autovacuum_enabled = false)`);
  const writer = new Client({ ...connection, database: name });
  await writer.connect();
  const writerPid = (await writer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const readerPid = (await ds.query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid'))[0].pid;
  return { candidate, name, writer, writerPid, ds, readerPid, reader: new PredictionReader(ds) };
}

/** Chunk `k` of the day's rows, one record a request, evenly spread in time; the same for every candidate. */
function chunk(k: number, features: Record<string, unknown>[]): AnsweredRequest[] {
  const rnd = mulberry32(1000 + k);
  const out: AnsweredRequest[] = [];
  for (let i = k * CHUNK_ROWS; i < Math.min(ROWS, (k + 1) * CHUNK_ROWS); i++) {
    const createdAt = DAY + Math.floor((i * DAY_MS) / ROWS);
    const model = MODELS[Math.floor(rnd() * MODELS.length)];
    const r = rnd();
    const [version, alias] = r < 0.7 ? [1, 'production'] : r < 0.9 ? [2, 'canary'] : [2, null];
    const good = rnd();
    const output = { label: good >= 0.5 ? 'good' : 'bad', probabilities: { good, bad: 1 - good } };
    out.push({
      createdAt,
      model,
      version,
      alias,
      caller: 'user:bench',
      latencyMs: 1 + rnd(),
      records: [{ id: idAt(createdAt, rnd), features: features[Math.floor(rnd() * features.length)], output }],
    });
  }
  return out;
}

/** A UUIDv7 of `ms` with seeded random bits, as newPredictionId makes (reproducible here). */
function idAt(ms: number, rnd: Rng): string {
  const hex = (n: number, digits: number) => Math.floor(n).toString(16).padStart(digits, '0');
  const t = hex(ms, 12);
  const r16 = () => hex(rnd() * 0x10000, 4);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${hex(rnd() * 0x1000, 3)}-${hex(0x8000 + rnd() * 0x4000, 4)}-${r16()}${r16()}${r16()}`;
}

/** The requests' rows in the log's batches (appendLogRows into a PredictionBuffer, whose writes are kept). */
async function encode(requests: AnsweredRequest[], batchSize: number): Promise<Encoded> {
  const json: Buffer[] = [];
  const fail = (err: unknown) => {
    throw err;
  };
  // The buffer reuses a batch's memory once it is written: keep copies.
  const buffer = new PredictionBuffer(async (batches) => void json.push(...batches.map((b) => Buffer.from(b))), {
    maxRows: requests.length,
    batchSize,
    batchesPerWrite: BATCHES_PER_WRITE,
    retryDelayMs: 0,
    onDrop: () => fail(new Error('the bench buffer dropped a row')),
    onError: fail,
  });
  for (const r of requests) appendLogRows(r, buffer);
  await buffer.flush();
  return { rows: requests.length, json, jsonb: json.map(asJsonb) };
}

const FEATURES = LOG_COLUMNS.split(', ').indexOf('features');
const OUTPUT = LOG_COLUMNS.split(', ').indexOf('output');

/** A batch with jsonb's binary form of its JSON fields: version byte 1, then the text. */
function asJsonb(batch: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  let o = 0;
  while (o < batch.length) {
    const fields = batch.readInt16BE(o);
    o += 2;
    for (let f = 0; f < fields; f++) {
      const length = batch.readInt32BE(o);
      if (f === FEATURES || f === OUTPUT) {
        parts.push(batch.subarray(from, o), Buffer.from([0, 0, 0, 0, 1]));
        parts[parts.length - 1].writeInt32BE(length + 1);
        from = o + 4;
      }
      o += 4 + Math.max(length, 0);
    }
  }
  parts.push(batch.subarray(from));
  return Buffer.concat(parts);
}

/** Times the COPYs of a chunk into the candidate, BATCHES_PER_WRITE batches each, as PredictionLog writes them. */
async function write(db: Db, encoded: Encoded): Promise<Write> {
  const batches = db.candidate.json === 'jsonb' ? encoded.jsonb : encoded.json;
  const cpu0 = cpuMs(db.writerPid);
  const t0 = performance.now();
  for (let i = 0; i < batches.length; i += BATCHES_PER_WRITE)
    await copyInto(db.writer, `inference.predictions (${LOG_COLUMNS})`, batches.slice(i, i + BATCHES_PER_WRITE));
  if (db.candidate.summarize) {
    await db.writer.query(
      `SELECT brin_summarize_new_values(i.inhrelid) FROM pg_inherits i WHERE i.inhparent = 'inference.predictions_bench_idx'::regclass`,
    );
  }
  const ms = performance.now() - t0;
  const cpu = cpuMs(db.writerPid) - cpu0;
  return { rowsPerSecond: encoded.rows / (ms / 1000), backendUsPerRow: (1000 * cpu) / encoded.rows };
}

const rotate = <T>(list: T[], k: number): T[] => [...list.slice(k % list.length), ...list.slice(0, k % list.length)];

/** Every page of a paged read; returns how many rows they held. */
async function allPages<T>(read: (after?: string) => Promise<Page<T>>): Promise<number> {
  let rows = 0;
  let after: string | undefined;
  do {
    const page = await read(after);
    rows += page.items.length;
    after = page.next ?? undefined;
  } while (after);
  return rows;
}

function reads(): Read[] {
  const hour: LogWindow = {
    model: 'credit',
    version: 1,
    from: new Date(DAY + 12 * HOUR_MS),
    to: new Date(DAY + 13 * HOUR_MS),
  };
  const day: LogWindow = { model: 'credit', version: 1, from: new Date(DAY), to: new Date(DAY + DAY_MS) };
  const total = (counts: { count: number }[]) => counts.reduce((n, c) => n + c.count, 0);
  return [
    { name: 'records: first page of 1,000', run: async (db) => (await db.reader.records(hour)).items.length },
    { name: 'records: the hour, pages of 1,000', run: (db) => allPages((after) => db.reader.records(hour, { after })) },
    {
      name: `records: the hour, pages of ${MAX_PAGE_SIZE.toLocaleString('en')}`,
      run: (db) => allPages((after) => db.reader.records(hour, { after, limit: MAX_PAGE_SIZE })),
    },
    {
      name: 'labelled: the hour, pages of 1,000',
      run: (db) => allPages((after) => db.reader.labelled(hour, { after })),
    },
    { name: 'counts: the hour by minute', run: async (db) => total(await db.reader.counts(hour, 'minute')) },
    {
      name: 'counts: the hour by minute, all versions',
      run: async (db) => total(await db.reader.counts({ model: 'credit', from: hour.from, to: hour.to }, 'minute')),
    },
    {
      name: 'counts: the day by hour, all versions',
      run: async (db) => total(await db.reader.counts({ model: 'credit', from: day.from, to: day.to }, 'hour')),
    },
    {
      name: 'SQL: rows and mean Age by Home, the hour',
      run: async (db) => {
        const rows = await db.ds.query<{ n: number }[]>(
          `SELECT features->>'Home' AS home, count(*)::int AS n, avg((features->>'Age')::float8) AS age FROM inference.predictions
           WHERE model = $1 AND version = $2 AND created_at >= $3 AND created_at < $4 GROUP BY 1`,
          [hour.model, hour.version, hour.from, hour.to],
        );
        return rows.reduce((n, r) => n + r.n, 0);
      },
    },
    {
      name: `records: the day, pages of ${MAX_PAGE_SIZE.toLocaleString('en')}`,
      run: (db) => allPages((after) => db.reader.records(day, { after, limit: MAX_PAGE_SIZE })),
    },
  ];
}

/**
 * Each read on every candidate in turn, REPEATS times after a warm-up; prints wall ms as median
 * (min–max), then the reader's backend CPU a read (mean: a tick is 10 ms).
 */
async function measureReads(dbs: Db[], state: string): Promise<void> {
  const lines: { name: string; rows: number; wall: Map<Db, number[]>; cpu: Map<Db, number> }[] = [];
  for (const read of reads()) {
    const seen = new Set<number>();
    for (const db of dbs) seen.add(await read.run(db));
    const wall = new Map<Db, number[]>(dbs.map((db) => [db, []]));
    const cpu = new Map<Db, number>(dbs.map((db) => [db, 0]));
    for (let rep = 0; rep < REPEATS; rep++) {
      for (const db of rotate(dbs, rep)) {
        const cpu0 = cpuMs(db.readerPid);
        const t0 = performance.now();
        seen.add(await read.run(db));
        wall.get(db)!.push(performance.now() - t0);
        cpu.set(db, cpu.get(db)! + (cpuMs(db.readerPid) - cpu0) / REPEATS);
      }
    }
    if (seen.size !== 1)
      throw new Error(`${read.name}: the candidates returned different row counts (${[...seen].join(', ')})`);
    lines.push({ name: read.name, rows: [...seen][0], wall, cpu });
  }
  const head = (what: string) =>
    `${what.padEnd(46)}${'rows'.padStart(9)}${dbs.map((_, i) => `[${i + 1}]`.padStart(25)).join('')}`;
  console.log(
    `\nreads, ${state}: wall ms, median (min–max) of ${REPEATS} (the reader's query and its parsing here); rows = what every candidate returned`,
  );
  console.log(head('read'));
  for (const l of lines)
    console.log(
      `${l.name.padEnd(46)}${String(l.rows).padStart(9)}${dbs.map((db) => spread(l.wall.get(db)!).padStart(25)).join('')}`,
    );
  console.log(`reads, ${state}: PostgreSQL backend CPU ms a read (mean of ${REPEATS})`);
  console.log(head('read'));
  for (const l of lines)
    console.log(
      `${l.name.padEnd(46)}${String(l.rows).padStart(9)}${dbs.map((db) => l.cpu.get(db)!.toFixed(1).padStart(25)).join('')}`,
    );
}

async function printSizes(dbs: Db[]): Promise<void> {
  const partition = `inference.predictions_p${new Date(DAY).toISOString().slice(0, 10).replace(/-/g, '')}`;
  console.log(
    `\nsizes of the day's partition (${ROWS.toLocaleString('en')} rows), MB: table, primary key, candidate's index`,
  );
  for (const [i, db] of dbs.entries()) {
    const [s] = await db.ds.query<{ heap: string; pkey: string; idx: string }[]>(
      `SELECT pg_table_size($1::regclass) AS heap,
              (SELECT sum(pg_relation_size(x.indexrelid)) FROM pg_index x WHERE x.indrelid = $1::regclass AND x.indisprimary) AS pkey,
              (SELECT sum(pg_relation_size(x.indexrelid)) FROM pg_index x WHERE x.indrelid = $1::regclass AND NOT x.indisprimary) AS idx`,
      [partition],
    );
    const mb = (bytes: string) => (Number(bytes) / 1e6).toFixed(1).padStart(8);
    console.log(`[${i + 1}] ${db.candidate.name.padEnd(44)}${mb(s.heap)}${mb(s.pkey)}${mb(s.idx)}`);
  }
}

async function main(): Promise<void> {
  printRuntime();
  const env = loadConfig().env;
  const connection: ClientConfig = {
    host: env.PGHOST,
    port: env.PGPORT,
    user: env.PGUSER,
    password: env.PGPASSWORD || undefined,
  };
  const admin = new Client({ ...connection, database: 'postgres' });
  await admin.connect();
  const dbs: Db[] = [];
  try {
    for (const [i, c] of CANDIDATES.entries()) dbs.push(await setUp(admin, connection, c, i + 1));
    const features = creditData().records.map(featuresOf);
    console.log(
      `candidates (one database each):\n${dbs.map((db, i) => `  [${i + 1}] ${db.candidate.name}`).join('\n')}`,
    );
    console.log(
      `${ROWS.toLocaleString('en')} rows over ${new Date(DAY).toISOString().slice(0, 10)}: ${MODELS.length} models × (v1 production 70%, v2 canary 20%, v2 by version 10%), ${features.length} distinct credit records as features`,
    );

    const writes = new Map<Db, Write[]>(dbs.map((db) => [db, []]));
    const chunks = Math.ceil(ROWS / CHUNK_ROWS);
    for (let k = 0; k < chunks; k++) {
      const encoded = await encode(chunk(k, features), env.INFERENCE_LOG_BATCH_SIZE);
      for (const db of rotate(dbs, k)) writes.get(db)!.push(await write(db, encoded));
    }
    const today = writes.get(dbs[0])!;
    console.log(
      `\nwrites: the log's COPYs of ${chunks} chunks of ${CHUNK_ROWS.toLocaleString('en')} rows, candidates in turn; median (min–max) over the chunks`,
    );
    console.log(
      `${'candidate'.padEnd(48)}${'rows/s'.padStart(26)}${'backend µs/row'.padStart(22)}${'µs/row vs [1]'.padStart(24)}${'rows/s vs [1]'.padStart(24)}${'CPU s, all rows'.padStart(17)}`,
    );
    for (const [i, db] of dbs.entries()) {
      const w = writes.get(db)!;
      const cpuRatio = w.map((x, k) => x.backendUsPerRow / today[k].backendUsPerRow);
      const rateRatio = w.map((x, k) => x.rowsPerSecond / today[k].rowsPerSecond);
      console.log(
        `[${i + 1}] ${db.candidate.name.padEnd(44)}${spread(
          w.map((x) => x.rowsPerSecond),
          0,
        ).padStart(26)}${spread(
          w.map((x) => x.backendUsPerRow),
          2,
        ).padStart(22)}` +
          `${spread(cpuRatio, 2).padStart(24)}${spread(rateRatio, 2).padStart(24)}${((median(w.map((x) => x.backendUsPerRow)) * ROWS) / 1e6).toFixed(2).padStart(17)}`,
      );
    }
    console.log(
      `per-chunk backend µs/row:\n${dbs
        .map(
          (db, i) =>
            `  [${i + 1}] ${writes
              .get(db)!
              .map((x) => x.backendUsPerRow.toFixed(2))
              .join(' ')}`,
        )
        .join('\n')}`,
    );

    for (const db of dbs) {
      // A quarter of the predictions labelled, ten minutes after; the same ones in every database.
      await db.ds
        .query(`INSERT INTO inference.feedback (prediction_id, model, version, label, given_by, created_at, updated_at)
        SELECT id, model, version, to_jsonb(CASE WHEN get_byte(uuid_send(id), 15) % 2 = 0 THEN 'good' ELSE 'bad' END), 'user:bench', created_at + interval '10 minutes', created_at + interval '10 minutes'
        FROM inference.predictions WHERE get_byte(uuid_send(id), 14) % 4 = 0`);
      await db.ds.query('ANALYZE inference.predictions');
      await db.ds.query('ANALYZE inference.feedback');
    }
    await printSizes(dbs);
    await measureReads(dbs, 'as written (ANALYZE, no VACUUM)');
    for (const db of dbs) await db.ds.query('VACUUM (ANALYZE) inference.predictions, inference.feedback');
    await measureReads(dbs, 'after VACUUM');
  } finally {
    for (const db of dbs) {
      await db.writer.end();
      if (db.ds.isInitialized) await db.ds.destroy();
    }
    for (let i = 1; i <= CANDIDATES.length; i++)
      await admin.query(`DROP DATABASE IF EXISTS "bench_logread_${process.pid}_${i}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
