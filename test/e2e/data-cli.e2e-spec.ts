import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DatasetReader } from '../../src/data/dataset-reader.service';
import { DatasetsService } from '../../src/data/datasets.service';
import { connectionEnv } from '../support/database';
import { startTestApp, type TestApp } from '../support/test-app';

const ROOT = join(__dirname, '../..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe('data import CLI (scripts/import.ts)', () => {
  let t: TestApp;
  let tmp: string;

  /** `npm run import -- …` as a child process on this test's database; `killWhen` may SIGKILL it mid-way. */
  function cli(args: string[], killWhen?: (stderr: string) => boolean): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/import.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, ...connectionEnv(), PGDATABASE: t.database, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (killWhen?.(stderr)) child.kill('SIGKILL');
      });
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    t = await startTestApp();
    tmp = mkdtempSync(join(tmpdir(), 'data-cli-'));
  });
  afterAll(async () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await t.close();
  });

  it('imports credit_data.csv with --create, reports progress and the inferred schema', async () => {
    const run = await cli(['--dataset', 'credit', '--file', 'data/credit_data.csv', '--target', 'Status', '--create']);
    expect(run.stderr).toContain('created dataset credit');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/imported version 1 of credit: 4454 rows, 0 rejected/);
    expect(run.stdout).toMatch(/Status: category/);
    const summary = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ status: 'created', version: 1, rows: 4454, rejected: 0 });
    const v = await t.app.get(DatasetReader).getVersion('credit', 1);
    expect(v).toMatchObject({ target: 'Status', rowCount: 4454, createdBy: expect.stringMatching(/^cli:/) });
  });

  it('imports lending_club.csv and confirms its schema', async () => {
    const run = await cli([
      '--dataset',
      'lending',
      '--file',
      'data/lending_club.csv',
      '--target',
      'Class',
      '--create',
      '--confirm-schema',
    ]);
    expect(run.code).toBe(0);
    const lines = readFileSync(join(ROOT, 'data/lending_club.csv'), 'utf8').trim().split('\n').length - 1;
    const summary = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(summary.rows + summary.rejected).toBe(lines);
    expect(run.stdout).toContain('schema confirmed');
    expect((await t.app.get(DatasetReader).getVersion('lending')).schemaConfirmed).toBe(true);
  });

  it('answers an identical file with the existing version', async () => {
    const run = await cli(['--dataset', 'credit', '--file', 'data/credit_data.csv']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/unchanged: the file is identical to version 1/);
  });

  it('exits non-zero with line and column on a malformed file, and 2 on bad usage', async () => {
    const bad = join(tmp, 'bad.csv');
    writeFileSync(
      bad,
      readFileSync(join(ROOT, 'data/credit_data.csv'), 'utf8').split('\n').slice(0, 5).join('\n') + '\n"good",1,2\n',
    );
    const run = await cli(['--dataset', 'credit', '--file', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Malformed CSV at line 6/);
    expect(run.stderr).toMatch(/line 6, column 4, file: expected 14 fields/);
    expect((await cli(['--dataset', 'credit'])).code).toBe(2);
    expect((await cli(['--dataset', 'nope', '--file', 'data/credit_data.csv'])).code).toBe(1);
  });

  it('removes the dataset that --create made when the import is refused, and keeps one that existed', async () => {
    const bad = join(tmp, 'semicolons.csv');
    writeFileSync(bad, 'a;b;c\n1;2;3\n');
    const run = await cli(['--dataset', 'fresh-one', '--file', bad, '--create']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/semicolon/);
    expect(run.stderr).toContain('removed dataset fresh-one, created for this import');
    expect(await t.app.get(DatasetsService).findByName('fresh-one')).toBeNull();
    const again = await cli(['--dataset', 'credit', '--file', bad, '--create']);
    expect(again.code).toBe(1);
    expect(again.stderr).not.toContain('removed dataset');
    expect(await t.app.get(DatasetsService).findByName('credit')).not.toBeNull();
  });

  it('leaves nothing behind when killed half-way', async () => {
    const lines = readFileSync(join(ROOT, 'data/credit_data.csv'), 'utf8').trim().split('\n');
    const big = join(tmp, 'big.csv');
    const out = [lines[0]];
    for (let i = 0; i < 600_000; i++) out.push(lines[1 + ((i * 7919) % (lines.length - 1))]);
    writeFileSync(big, out.join('\n') + '\n');
    const run = await cli(['--dataset', 'credit', '--file', big], (stderr) => /progress: [1-9]\d* rows/.test(stderr));
    expect(run.signal).toBe('SIGKILL');
    const ds = await t.app.get(DatasetsService).find('credit');
    const db = t.app.get(DataSource);
    // The killed session's transaction is rolled back by PostgreSQL once its connection closes.
    for (let i = 0; i < 50; i++) {
      const active = await db.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'ml-api:import'",
        [t.database],
      );
      if (active[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await t.app.get(DatasetsService).listVersions(ds.id)).map((v) => v.number)).toEqual([1]);
    const rows = await db.query(`SELECT count(*)::int AS n FROM data."${ds.tableName}"`);
    expect(rows[0].n).toBe(4454);
  });
});
