import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { DatasetReader } from '../../src/data/dataset-reader.service';
import { DatasetsService } from '../../src/data/datasets.service';
import { CsvImportService } from '../../src/data/import/csv-import.service';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

const SCHEMA = {
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'score', type: 'number', nullable: true },
    { name: 'grade', type: 'category', nullable: false, categories: ['A', 'B'] },
    { name: 'ok', type: 'boolean', nullable: true },
  ],
};

function rows(n: number, bad: number[] = []): string {
  const out = ['id,score,grade,ok'];
  for (let i = 1; i <= n; i++)
    out.push(bad.includes(i) ? `${i},abc,"C",true` : `${i},${i / 10},"${i % 2 ? 'A' : 'B'}",true`);
  return out.join('\n') + '\n';
}

describe('data: bad input gives clear errors and leaves nothing behind', () => {
  let t: TestApp;
  let token: string;
  let http: Http;
  let db: DataSource;
  let n = 0;

  async function upload(ref: string, content: string | Buffer, query = '?wait=true') {
    const form = new FormData();
    form.append('file', new Blob([content]), 'f.csv');
    const res = await fetch(`${t.baseUrl}/datasets/${encodeURIComponent(ref)}/imports${query}`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  async function fresh(schema: object | null = SCHEMA): Promise<string> {
    const name = `ds${++n}`;
    const res = await http.post('/datasets', schema ? { name, schema } : { name });
    expect(res.status).toBe(201);
    return name;
  }

  async function nothingImported(name: string) {
    expect((await http.get(`/datasets/${name}/versions`)).body).toEqual([]);
    const ds = await t.app.get(DatasetsService).find(name);
    if (ds.tableName) expect((await db.query(`SELECT count(*)::int AS n FROM data."${ds.tableName}"`))[0].n).toBe(0);
    expect(
      (
        await db.query(
          'SELECT count(*)::int AS n FROM data.rejected_rows r JOIN data.dataset_versions v ON v.id = r.version_id WHERE v.dataset_id = $1',
          [ds.id],
        )
      )[0].n,
    ).toBe(0);
  }

  beforeAll(async () => {
    t = await startTestApp();
    token = await tokenFor(t, 'scientist');
    http = new Http(t.baseUrl, token);
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it.each([
    [
      'a binary file',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      400,
      /not a CSV text file/,
      { line: 3 },
    ], // 0x0a twice before the NUL,
    ['an empty file', '', 400, /empty/, {}],
    ['a file with only blank lines', '\n\n  \n', 400, /empty|no header/i, {}],
    [
      'bad encoding (latin-1)',
      Buffer.concat([
        Buffer.from('id,score,grade,ok\n1,1,"A",true\n2,1,"'),
        Buffer.from([0xc9]),
        Buffer.from('",true\n'),
      ]),
      400,
      /not valid UTF-8 \(line 3\)/,
      { line: 3 },
    ],
    [
      'a line with too few fields',
      'id,score,grade,ok\n1,1,"A",true\n2,1,"B"\n',
      400,
      /line 3/,
      { line: 3, message: 'expected 4 fields (as in the header), found 3' },
    ],
    ['a line with too many fields', 'id,score,grade,ok\n1,1,"A",true,9\n', 400, /line 2/, { line: 2 }],
    [
      'an unterminated quote',
      'id,score,grade,ok\n1,1,"A",true\n2,1,"B,true\n3,1,A,true\n',
      400,
      /unterminated/,
      { line: 3, column: 3 },
    ],
    ['no header row', '1,0.5,"A",true\n2,1,"B",false\n', 422, /no header/, { field: 'header' }],
    [
      'text after a closing quote',
      'id,score,grade,ok\n1,1,"A"x,true\n',
      400,
      /after a closing quote/,
      { line: 2, column: 3 },
    ],
    ['a header only', 'id,score,grade,ok\n', 422, /no data rows/, {}],
  ])('refuses %s', async (_, content, status, message, detail) => {
    const name = await fresh();
    const res = await upload(name, content);
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
    if (Object.keys(detail).length) expect(res.body.details[0]).toMatchObject(detail);
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|INSERT|COPY |at .*\.ts:\d+/);
    await nothingImported(name);
  });

  it.each([
    [
      'quoted, semicolon-separated, no schema',
      null,
      '"id";"score"\n"1";"2"\n',
      400,
      'data.malformed_csv',
      /semicolon \(;\)-separated/,
    ],
    [
      'semicolon-separated, no schema',
      null,
      'id;score;grade\n1;2;A\n',
      422,
      'data.invalid_header',
      /semicolon \(;\)-separated/,
    ],
    [
      'semicolon-separated, declared schema',
      SCHEMA,
      'id;score;grade;ok\n1;1;A;true\n',
      422,
      'data.header_mismatch',
      /semicolon/,
    ],
    ['tab-separated, no schema', null, 'id\tscore\n1\t2\n', 422, 'data.invalid_header', /tab-separated/],
  ])(
    'names the likely delimiter of a file that is not comma-separated: %s',
    async (_, schema, content, status, code, hint) => {
      const name = await fresh(schema);
      const res = await upload(name, content);
      expect(res).toMatchObject({ status, body: { code } });
      expect(res.body.message).toMatch(hint);
      expect(res.body.message).toMatch(/reads comma-separated CSV/);
      await nothingImported(name);
    },
  );

  it('names missing and unknown header columns', async () => {
    const name = await fresh();
    const res = await upload(name, 'id,score,grade,extra\n1,1,"A",x\n');
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('The header does not match the dataset schema');
    expect(res.body.details).toEqual([
      { field: 'ok', message: 'column missing from the header', line: 1 },
      { field: 'extra', message: 'unknown column (not in the dataset schema)', line: 1, column: 4 },
    ]);
    await nothingImported(name);
  });

  it('keeps rejected rows with line, column, value and reason when under the threshold', async () => {
    const name = await fresh();
    const content = rows(200, [50]) + '201,1,"A",maybe\n202,NA,NA,true\n';
    const res = await upload(name, content, '?wait=true&maxRejectedShare=0.02');
    expect(res.status).toBe(201);
    expect(res.body.version).toMatchObject({ rowCount: 199, rejectedCount: 3 });
    const rejected = await http.get(`/datasets/${name}/versions/1/rejected`);
    expect(rejected.body.total).toBe(3);
    expect(rejected.body.items).toEqual(
      [
        { line: 51, column: 'score', value: 'abc', reason: 'not a number: abc' },
        { line: 51, column: 'grade', value: 'C', reason: 'unknown category: C' },
        { line: 202, column: 'ok', value: 'maybe', reason: expect.stringMatching(/not a boolean/) },
        { line: 203, column: 'grade', value: 'NA', reason: 'missing value in a non-nullable column' },
      ].slice(0, 4),
    );
  });

  it('fails the whole import over the threshold (default 1%), and nothing is written', async () => {
    const name = await fresh();
    const res = await upload(name, rows(100, [10, 20]));
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/2 of 100 rows .*2\.00% > 1\.00%/);
    expect(res.body.details[0]).toEqual({ field: 'score', message: 'not a number: abc', line: 11, value: 'abc' });
    await nothingImported(name);
  });

  it('reads the missing tokens given per import', async () => {
    const name = await fresh();
    const res = await upload(
      name,
      'id,score,grade,ok\n1,?,"A",true\n2,NA,"B",?\n',
      '?wait=true&missingTokens=%3F&maxRejectedShare=1',
    );
    expect(res.body.version).toMatchObject({ rowCount: 1, rejectedCount: 1, missingTokens: ['?'] });
    const page = await http.get(`/datasets/${name}/versions/1/rows`);
    expect(page.body.rows).toEqual([{ id: 1, score: null, grade: 'A', ok: true }]);
  });

  it('reports a failed background import on its status, with line and column', async () => {
    const name = await fresh();
    const res = await upload(name, 'id,score,grade,ok\n1,1,"A",true\n2,"x\n', '');
    expect(res.status).toBe(202);
    let job = res.body;
    for (let i = 0; i < 100 && ['queued', 'running'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await http.get(`/datasets/${name}/imports/${res.body.id}`)).body;
    }
    expect(job).toMatchObject({
      status: 'failed',
      versionId: null,
      error: { statusCode: 400, details: [{ field: 'file', line: 3, column: 2 }] },
    });
  });

  it('keeps hostile, unicode, spaced and long names as metadata only', async () => {
    const long = 'a very long column name that goes well past sixty-three bytes of PostgreSQL identifiers';
    const hostile = 'x"; DROP TABLE auth.users; --';
    const schema = {
      columns: [
        { name: hostile, type: 'text', nullable: true },
        { name: 'prénom 名前 😀', type: 'category', nullable: false },
        { name: long, type: 'number', nullable: true },
        { name: '__proto__', type: 'integer', nullable: true },
      ],
    };
    const created = await http.post('/datasets', { name: `${hostile} ${long}`, schema });
    expect(created.status).toBe(201);
    const header = ['"x""; DROP TABLE auth.users; --"', 'prénom 名前 😀', `"${long}"`, '__proto__'].join(',');
    const res = await upload(created.body.id, `${header}\n"it's \\ a ""test""\ttab","Zoë",1.5,7\n`);
    expect(res.status).toBe(201);
    const page = await http.get(`/datasets/${created.body.id}/versions/1/rows`);
    expect(page.body.rows[0]).toEqual({
      [hostile]: 'it\'s \\ a "test"\ttab',
      'prénom 名前 😀': 'Zoë',
      [long]: 1.5,
      ['__proto__']: 7,
    });
    expect((await db.query('SELECT count(*)::int AS n FROM auth.users'))[0].n).toBeGreaterThan(0);
    const info = await t.app.get(DatasetReader).getVersion(`${hostile} ${long}`);
    const streamed: unknown[] = [];
    for await (const b of t.app.get(DatasetReader).streamRows(info.versionId)) streamed.push(...b);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(page.body.rows));
  });

  it('runs two imports into one dataset at once as two versions', async () => {
    const name = await fresh();
    const ds = await t.app.get(DatasetsService).find(name);
    const importer = t.app.get(CsvImportService);
    const run = (text: string) =>
      importer.run({ datasetId: ds.id, source: Readable.from([Buffer.from(text)]), createdBy: 'test' });
    const [a, b] = await Promise.all([run(rows(3000)), run(rows(2000))]);
    expect([a.number, b.number].sort()).toEqual([1, 2]);
    const versions = (await http.get(`/datasets/${name}/versions`)).body as { rowCount: number }[];
    expect(versions.map((v) => v.rowCount).sort()).toEqual([2000, 3000]);
    const counts = await db.query(
      `SELECT version_id, count(*)::int AS n FROM data."${ds.tableName}" GROUP BY 1 ORDER BY 2`,
    );
    expect(counts.map((c: { n: number }) => c.n)).toEqual([2000, 3000]);
  });

  describe('a file wider than a PostgreSQL table', () => {
    const wide = (n: number, value: string) =>
      [Array.from({ length: n }, (_, i) => `c${i}`).join(','), Array(n).fill(value).join(',')].join('\n') + '\n';

    async function refusedAndUntouched(name: string, content: string, message: RegExp) {
      const res = await upload(name, content);
      expect(res).toMatchObject({ status: 422, body: { code: 'data.table_limit_exceeded' } });
      expect(res.body.message).toMatch(message);
      await nothingImported(name);
      // Nothing was created for the refused schema: the dataset takes a file that fits afterwards.
      expect((await t.app.get(DatasetsService).find(name)).schema).toBeNull();
      expect((await upload(name, wide(3, '1'))).status).toBe(201);
    }

    it('refuses 5,000 columns without a declared schema, naming the 1,598-column limit', async () => {
      await refusedAndUntouched(await fresh(null), wide(5000, '1'), /5000 columns: a dataset has at most 1598/);
    });

    it('refuses 1,598 integer columns, whose rows cannot fit a page, before creating the table', async () => {
      await refusedAndUntouched(
        await fresh(null),
        wide(1598, '1'),
        /at least 12832 bytes: PostgreSQL stores at most 8160/,
      );
    });

    it('holds the row-size rule where PostgreSQL does: 1,014 integer columns import, 1,015 do not', async () => {
      const fits = await fresh(null);
      expect((await upload(fits, wide(1014, '7'))).body.version).toMatchObject({ rowCount: 1 });
      await refusedAndUntouched(await fresh(null), wide(1015, '7'), /at least 8168 bytes/);
    });

    it('refuses rows that PostgreSQL finds too big only once it holds the values (1,000 text columns)', async () => {
      await refusedAndUntouched(
        await fresh(null),
        wide(1000, 'abcdefghijkl'),
        /PostgreSQL refused a row: row is too big/,
      );
    });

    it('refuses such rows when they come after megabytes of COPY (the stream fails mid-import)', async () => {
      const name = await fresh(null);
      const header = Array.from({ length: 1000 }, (_, i) => `c${i}`).join(',');
      const small = Array(1000).fill('a').join(',');
      const big = Array(1000).fill('abcdefghijkl').join(',');
      // Thousands of rows that fit, then ones that do not: COPY fails while the importer is still writing.
      const content = [header, ...Array(2500).fill(small), ...Array(300).fill(big)].join('\n') + '\n';
      const res = await upload(name, content);
      expect(res).toMatchObject({ status: 422, body: { code: 'data.table_limit_exceeded' } });
      await nothingImported(name);
    });

    it('refuses a declared schema whose rows cannot fit, at POST /datasets', async () => {
      const columns = Array.from({ length: 1100 }, (_, i) => ({ name: `c${i}`, type: 'number', nullable: true }));
      const res = await http.post('/datasets', { name: `declared-wide-${++n}`, schema: { columns } });
      expect(res).toMatchObject({ status: 422, body: { code: 'data.invalid_schema' } });
      expect(res.body.details).toEqual([
        { field: 'schema.columns', message: expect.stringMatching(/1100 columns takes at least 8848 bytes/) },
      ]);
    });
  });
});
