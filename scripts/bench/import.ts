/**
 * Import benchmark (a benchmark, not a test): `npm run bench:import -- [rows]`.
 * 1. Generates a ROWS-row file (default 1,000,000) by sampling data/credit_data.csv rows with a
 *    fixed seed into a temp dir.
 * 2. Times `psql \copy` of it into an equivalent typed table.
 * 3. Times the project's import of the same file (parse, validation, COPY, profile, commit) in a
 *    child process, and reads its peak RSS; then a second import of another sample (same size)
 *    into the same dataset (the first one also creates the dataset's partitioned table); then
 *    times reading the first version back with streamRows.
 * Runs on a throw-away database (bench_<pid>) created from scratch and dropped at the end.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from './scratch-database';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { mulberry32 } from '../../src/ml/random';
import { REPO_ROOT } from '../../test/support/repo-root';
import { benchChild, printRuntime } from './child';

const ROWS = Number(process.argv[2] ?? 1_000_000);

async function main() {
  printRuntime();
  const base = loadConfig();
  const env = base.env;
  const dbName = `bench_${process.pid}`;
  const scratch = await createDatabase(dbName, env);
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  try {
    const file = join(dir, 'credit_1m.csv');
    const lines = readFileSync(join(REPO_ROOT, 'data/credit_data.csv'), 'utf8').trim().split('\n');
    const file2 = join(dir, 'credit_1m_next.csv');
    for (const [path, seed] of [
      [file, 42],
      [file2, 43],
    ] as const) {
      const rnd = mulberry32(seed);
      const out: string[] = [lines[0]];
      for (let i = 0; i < ROWS; i++) out.push(lines[1 + Math.floor(rnd() * (lines.length - 1))]);
      writeFileSync(path, out.join('\n') + '\n');
    }
    const bytes = statSync(file).size;
    console.log(`file: ${ROWS} rows, ${(bytes / 1e6).toFixed(1)} MB (${file})`);

    const childEnv = { ...process.env, PGDATABASE: dbName, LOG_LEVEL: 'silent' };
    const config = loadConfig(childEnv);
    const ds = new DataSource(dataSourceOptions(config));
    await ds.initialize();
    await ds.runMigrations();
    await ds.query(`CREATE TABLE public.psql_copy ("Status" text, "Seniority" bigint, "Home" text, "Time" bigint, "Age" bigint, "Marital" text, "Records" text, "Job" text,
      "Expenses" bigint, "Income" bigint, "Assets" bigint, "Debt" bigint, "Amount" bigint, "Price" bigint)`);
    await ds.destroy();

    const psqlArgs = [
      '-h',
      env.PGHOST,
      '-p',
      String(env.PGPORT),
      '-U',
      env.PGUSER,
      '-d',
      dbName,
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `\\copy public.psql_copy FROM '${file}' WITH (FORMAT csv, HEADER true, NULL 'NA')`,
    ];
    const p0 = process.hrtime.bigint();
    const psql = spawnSync('psql', psqlArgs, { env: childEnv, encoding: 'utf8' });
    const psqlMs = Number(process.hrtime.bigint() - p0) / 1e6;
    if (psql.status !== 0) throw new Error(`psql failed: ${psql.stderr}`);

    const { path, execArgv } = benchChild('import-child');
    const child = spawnSync(process.execPath, [...execArgv, path, file, file2], {
      cwd: REPO_ROOT,
      env: childEnv,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`import failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      rows: number;
      rejected: number;
      importMs: number;
      importRss: number;
      nextRows: number;
      nextMs: number;
      read: number;
      readMs: number;
      totalRss: number;
    };

    const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
    const psqlRate = rate(ROWS, psqlMs);
    const importRate = rate(r.rows + r.rejected, r.importMs);
    const readRate = rate(r.read, r.readMs);
    console.log(`psql \\copy:        ${(psqlMs / 1000).toFixed(2)} s  ${psqlRate.toLocaleString('en')} rows/s`);
    console.log(
      `project import:     ${(r.importMs / 1000).toFixed(2)} s  ${importRate.toLocaleString('en')} rows/s  (${r.rows} rows, ${r.rejected} rejected; validation + COPY + profile + commit)`,
    );
    console.log(`ratio import/psql:  ${(importRate / psqlRate).toFixed(2)} (target >= 0.33)`);
    const nextRate = rate(r.nextRows, r.nextMs);
    console.log(
      `next import:        ${(r.nextMs / 1000).toFixed(2)} s  ${nextRate.toLocaleString('en')} rows/s  (same dataset, its own partition; ratio ${(nextRate / psqlRate).toFixed(2)})`,
    );
    console.log(`import peak RSS:    ${(r.importRss / 1e6).toFixed(0)} MB (target < 300 MB; both imports)`);
    console.log(
      `streamRows read:    ${(r.readMs / 1000).toFixed(2)} s  ${readRate.toLocaleString('en')} rows/s  (${(readRate / importRate).toFixed(2)}x the import; process peak RSS ${(r.totalRss / 1e6).toFixed(0)} MB)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await scratch.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
