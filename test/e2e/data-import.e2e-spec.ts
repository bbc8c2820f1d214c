import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { createTableSql } from '../../src/data/dataset-table';
import { DatasetReader } from '../../src/data/dataset-reader.service';
import { DatasetsService } from '../../src/data/datasets.service';
import { CsvImportService } from '../../src/data/import/csv-import.service';
import type { NumericProfile, CategoryProfile } from '../../src/ml/profile';
import { categoryProfile, numericProfile } from '../../src/ml/profile';
import { startTestApp, type TestApp } from '../support/test-app';
import { DataErrorCode } from '../../src/data';

const DATA = join(__dirname, '../../data');
const FIX = join(__dirname, '../fixtures/data');

function source(text: string | Buffer, chunk = 7): AsyncIterable<Buffer> {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  return Readable.from(parts);
}

describe('data import (services on real PostgreSQL)', () => {
  let t: TestApp;
  let datasets: DatasetsService;
  let importer: CsvImportService;
  let reader: DatasetReader;

  beforeAll(async () => {
    t = await startTestApp();
    datasets = t.app.get(DatasetsService);
    importer = t.app.get(CsvImportService);
    reader = t.app.get(DatasetReader);
  });
  afterAll(() => t.close());

  it('imports a small file with a declared schema and computes the profile exactly (by hand)', async () => {
    const ds = await datasets.create({
      name: 'tiny',
      target: 'label',
      createdBy: 'test',
      schema: {
        columns: [
          { name: 'x', type: 'number', nullable: true },
          { name: 'label', type: 'category', nullable: false, categories: ['a', 'b'] },
          { name: 'flag', type: 'boolean', nullable: true },
          { name: 'count', type: 'integer', nullable: true },
        ],
      },
    });
    const out = await importer.run({
      datasetId: ds.id,
      source: source(readFileSync(join(FIX, 'tiny.csv'))),
      createdBy: 'test',
    });
    expect(out).toMatchObject({ status: 'created', number: 1, rows: 5, rejected: 0 });
    const v = await reader.getVersion('tiny');
    expect(v.rowCount).toBe(5);
    const x = v.profile.columns.find((c) => c.name === 'x')!.profile as NumericProfile;
    // x = 1, 2, 3, 4 and one missing: mean 2.5, sample std sqrt(5/3), median 2.5, p25 = 1 + 0.75 = 1.75
    expect(x).toMatchObject({ kind: 'numeric', count: 4, missing: 1, mean: 2.5, min: 1, max: 4 });
    expect(x.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(x.quantiles.find((q) => q.p === 0.25)!.value).toBeCloseTo(1.75, 12);
    expect(x.quantiles.find((q) => q.p === 0.5)!.value).toBe(2.5);
    // Decile edges of 1..4: 1, 1.3, 1.6, …, 4; each value falls in its own bin, 4 in the closed last bin.
    expect(x.histogram!.edges).toHaveLength(11);
    expect(x.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(x.histogram!.counts[9]).toBe(1);
    expect(x).toEqual(numericProfile([1, 2, 3, 4, null], x.histogram!.edges));
    const label = v.profile.columns.find((c) => c.name === 'label')!.profile as CategoryProfile;
    expect(label).toEqual({
      kind: 'category',
      count: 5,
      missing: 0,
      distinct: 2,
      top: [
        { value: 'a', count: 3 },
        { value: 'b', count: 2 },
      ],
      other: 0,
    });
    const flag = v.profile.columns.find((c) => c.name === 'flag')!.profile as CategoryProfile;
    expect(flag).toMatchObject({
      count: 4,
      missing: 1,
      top: [
        { value: 'false', count: 2 },
        { value: 'true', count: 2 },
      ],
    });

    const rows: unknown[] = [];
    for await (const batch of reader.streamRows(v.versionId, { batchSize: 2 })) rows.push(...batch);
    expect(rows).toEqual(
      [
        { x: 1, label: 'a', flag: true, count: 3 },
        { x: 2, label: 'b', flag: false, count: null },
        { x: 3, label: 'a', flag: true, count: 5 },
        { x: 4, label: 'a', flag: null, count: 7 },
        { x: null, label: 'b', flag: false, count: 2 },
      ].map((r) => Object.assign(Object.create(null), r)),
    );
  });

  it('imports credit_data.csv with an inferred schema, profile equal to the ML library on the same values', async () => {
    await datasets.create({ name: 'credit', target: 'Status', createdBy: 'test' });
    const ds = await datasets.find('credit');
    const out = await importer.run({
      datasetId: ds.id,
      source: source(readFileSync(join(DATA, 'credit_data.csv')), 65536),
      createdBy: 'test',
    });
    expect(out.status).toBe('created');
    const v = await reader.getVersion('credit', 1);
    expect(v.schemaConfirmed).toBe(false);
    expect(v.schema.columns.find((c) => c.name === 'Status')!.type).toBe('category');
    expect(v.schema.columns.find((c) => c.name === 'Income')!.type).toBe('integer');
    const lines = readFileSync(join(DATA, 'credit_data.csv'), 'utf8').trim().split('\n');
    expect(v.rowCount + v.rejectedCount).toBe(lines.length - 1);
    const rows: Record<string, unknown>[] = [];
    for await (const batch of reader.streamRows(v.versionId)) rows.push(...batch);
    expect(rows).toHaveLength(v.rowCount);
    const income = rows.map((r) => r.Income as number | null);
    const p = v.profile.columns.find((c) => c.name === 'Income')!.profile as NumericProfile;
    const ml = numericProfile(income, p.histogram!.edges);
    expect(p.count).toBe(ml.count);
    expect(p.missing).toBe(ml.missing);
    expect(p.quantiles).toEqual(ml.quantiles);
    expect(p.histogram).toEqual(ml.histogram);
    expect(p.mean!).toBeCloseTo(ml.mean!, 9);
    expect(p.std!).toBeCloseTo(ml.std!, 9);
    // The dataset table is partitioned by version; this version's table was filled bare (COPY
    // FREEZE), keyed by one sorted build and attached before the commit.
    const db = t.app.get(DataSource);
    const table = (await datasets.find('credit')).tableName!;
    const parts = await db.query(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound, (SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = c.oid AND indisprimary) AS key
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'data.${table}'::regclass`,
    );
    expect(parts).toEqual([
      {
        name: `v_${v.versionId.replace(/-/g, '')}`,
        bound: `FOR VALUES IN ('${v.versionId}')`,
        key: expect.stringMatching(/UNIQUE INDEX .* USING btree \(version_id, row_no\)$/),
      },
    ]);
  });

  it('still imports into a plain (unpartitioned) table made before partitioning', async () => {
    const schema = { columns: [{ name: 'x', type: 'integer' as const, nullable: false }] };
    const ds = await datasets.create({ name: 'legacy', createdBy: 'test', schema });
    const db = t.app.get(DataSource);
    await db.query(`DROP TABLE data."${ds.tableName}"`);
    await db.query(createTableSql(ds.tableName!, schema));
    for (const n of [1, 2]) {
      const body = ['x', ...Array.from({ length: 12_000 }, (_, i) => String(i * n))].join('\n') + '\n';
      expect(await importer.run({ datasetId: ds.id, source: source(body, 65536), createdBy: 'test' })).toMatchObject({
        status: 'created',
        number: n,
        rows: 12_000,
      });
    }
    const rows: Record<string, unknown>[] = [];
    for await (const batch of reader.streamRows((await reader.getVersion('legacy', 2)).versionId)) rows.push(...batch);
    expect(rows.map((r) => r.x)).toEqual(Array.from({ length: 12_000 }, (_, i) => i * 2));
    expect(
      (await db.query(`SELECT relkind FROM pg_class WHERE oid = 'data.${ds.tableName}'::regclass`))[0].relkind,
    ).toBe('r');
  });

  it('finishes columns past the in-app caps in SQL with the same definitions (quantiles, histogram, top-N)', async () => {
    // 20,500 distinct numbers and texts: over MAX_NUMERIC_DISTINCT / MAX_CATEGORY_DISTINCT.
    const n = 20_500;
    const lines = ['x,t,k'];
    for (let i = 0; i < n; i++)
      lines.push(`${i % 97 === 0 ? 'NA' : ((i * 7919) % n) / 8 - 100},id${(i * 31) % n},${i % 3 ? 'a' : 'b'}`);
    await datasets.create({ name: 'wide', createdBy: 'test' });
    const ds = await datasets.find('wide');
    const out = await importer.run({
      datasetId: ds.id,
      source: source(lines.join('\n') + '\n', 65536),
      createdBy: 'test',
    });
    expect(out).toMatchObject({ status: 'created', rows: n, rejected: 0 });
    const v = await reader.getVersion('wide', 1);
    const rows: Record<string, unknown>[] = [];
    for await (const batch of reader.streamRows(v.versionId)) rows.push(...batch);
    const x = v.profile.columns.find((c) => c.name === 'x')!.profile as NumericProfile;
    const ml = numericProfile(
      rows.map((r) => r.x as number | null),
      x.histogram!.edges,
    );
    expect({ ...x, mean: 0, std: 0 }).toEqual({ ...ml, mean: 0, std: 0 });
    expect(Math.abs(x.mean! - ml.mean!) / Math.abs(ml.mean!)).toBeLessThan(1e-9);
    expect(Math.abs(x.std! - ml.std!) / ml.std!).toBeLessThan(1e-9);
    for (const name of ['t', 'k']) {
      const p = v.profile.columns.find((c) => c.name === name)!.profile as CategoryProfile;
      expect(p).toEqual(
        categoryProfile(
          rows.map((r) => r[name] as string),
          20,
        ),
      );
    }
  });

  it('past the first 10,000 rows (fast lane): rejections, quoted line breaks, CRLF, escapes and errors keep their lines', async () => {
    const schema = {
      columns: [
        { name: 'x', type: 'number' as const, nullable: true },
        { name: 't', type: 'text' as const, nullable: true },
        { name: 'k', type: 'category' as const, nullable: false, categories: ['a', 'b'] },
      ],
    };
    const head = ['x,t,k'];
    for (let i = 0; i < 11_000; i++) head.push(`${i / 4},"v${i % 50}",${i % 2 ? 'a' : 'b'}`);
    // Line numbers: the header is line 1, so the next line is 11,002.
    const tail = ['abc,bad,c', '1,"multi\nline",a', '2,crlf,b\r', '3,tab\there,a', 'NA,"q""uote",b', '4,é,a'];
    await datasets.create({ name: 'fastlane', createdBy: 'test', schema });
    const ds = await datasets.find('fastlane');
    const out = await importer.run({
      datasetId: ds.id,
      source: source([...head, ...tail].join('\n') + '\n', 4096),
      createdBy: 'test',
    });
    expect(out).toMatchObject({ status: 'created', rows: 11_005, rejected: 1 });
    expect(await datasets.rejected(out.versionId, 10, 0)).toEqual([
      { line: 11_002, column: 'x', value: 'abc', reason: 'not a number: abc' },
      { line: 11_002, column: 'k', value: 'c', reason: 'unknown category: c' },
    ]);
    const rows: Record<string, unknown>[] = [];
    for await (const batch of reader.streamRows(out.versionId)) rows.push(...batch);
    expect(rows.slice(0, 2)).toEqual(
      [
        { x: 0, t: 'v0', k: 'b' },
        { x: 0.25, t: 'v1', k: 'a' },
      ].map((r) => Object.assign(Object.create(null), r)),
    );
    expect(rows.slice(11_000)).toEqual(
      [
        { x: 1, t: 'multi\nline', k: 'a' },
        { x: 2, t: 'crlf', k: 'b' },
        { x: 3, t: 'tab\there', k: 'a' },
        { x: null, t: 'q"uote', k: 'b' },
        { x: 4, t: 'é', k: 'a' },
      ].map((r) => Object.assign(Object.create(null), r)),
    );
    const t = (await reader.getVersion('fastlane')).profile.columns.find((c) => c.name === 't')!
      .profile as CategoryProfile;
    expect(t).toEqual(
      categoryProfile(
        rows.map((r) => r.t as string),
        20,
      ),
    );

    // A malformed record after the first 10,000 rows is reported at its own line; nothing is written.
    const broken = [...head, '5,"never closed,a', '6,x,a'].join('\n') + '\n';
    await expect(
      importer.run({ datasetId: ds.id, source: source(broken, 4096), createdBy: 'test' }),
    ).rejects.toMatchObject({ code: DataErrorCode.MALFORMED_CSV, message: expect.stringContaining('line 11002') });
    const short = [...head, '7,x,a', '8,x'].join('\n') + '\n';
    await expect(
      importer.run({ datasetId: ds.id, source: source(short, 4096), createdBy: 'test' }),
    ).rejects.toMatchObject({ code: DataErrorCode.MALFORMED_CSV, message: expect.stringContaining('line 11003') });
    expect((await datasets.listVersions(ds.id)).length).toBe(1);
  });
});
