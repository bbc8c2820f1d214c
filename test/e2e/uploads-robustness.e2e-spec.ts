import { mkdir, mkdtemp, readdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { closing, field, fileHead, filePart, rawUpload, until } from '../support/multipart';
import { startTestApp, type TestApp } from '../support/test-app';

const fields = (n: number) => Array.from({ length: n }, (_, i) => field(`f${i}`, 'x')).join('');
const CSV = 'a,b\n1,2\n';
const MAX_UPLOAD = 1000;

describe('uploads: every multipart limit answers at once, and no temp file outlives its request', () => {
  let t: TestApp;
  let token: string;
  let http: Http;
  let spoolDir: string;
  const spools = () => readdir(spoolDir);

  const upload = (chunks: string[], options?: Parameters<typeof rawUpload>[3]) =>
    rawUpload(`${t.baseUrl}/datasets/up/imports?wait=true`, token, chunks, options);

  async function importCount(): Promise<number> {
    const rows = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM data.imports');
    return rows[0].n;
  }

  beforeAll(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), 'mlapi-uploads-test-'));
    // Left by earlier processes: one of a process that is gone, one of a live process (the
    // parent of this one), one from before spools carried a process id (old), one of this
    // process id (an earlier incarnation: this process has no upload yet).
    await mkdir(join(spoolDir, 'mlapi-import-999999999-gone01'));
    await mkdir(join(spoolDir, `mlapi-import-${process.ppid}-live01`));
    await mkdir(join(spoolDir, 'mlapi-import-legacy'));
    await utimes(join(spoolDir, 'mlapi-import-legacy'), new Date(0), new Date(0));
    await mkdir(join(spoolDir, `mlapi-import-${process.pid}-mine01`));
    await mkdir(join(spoolDir, 'someone-else'));
    t = await startTestApp({ IMPORT_TMP_DIR: spoolDir, IMPORT_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) });
    token = await tokenFor(t, 'scientist');
    http = new Http(t.baseUrl, token);
    expect((await http.post('/datasets', { name: 'up' })).status).toBe(201);
  });
  afterAll(() => t.close());

  it('at start, removes the spools of processes that are gone and keeps the rest', async () => {
    expect((await spools()).sort()).toEqual([`mlapi-import-${process.ppid}-live01`, 'someone-else'].sort());
    expect(t.logs()).toMatch(/removed stale upload spools/);
  });

  describe.each([
    [
      '21 form fields before the file',
      fields(21) + filePart('file', CSV) + closing,
      413,
      'data.upload_limit_exceeded',
      /more than 20 form fields/,
    ],
    [
      '21 form fields after the file',
      filePart('file', CSV) + fields(21) + closing,
      413,
      'data.upload_limit_exceeded',
      /more than 20 form fields/,
    ],
    ['1,001 parts', fields(1001) + closing, 413, 'data.upload_limit_exceeded', /more than 20 form fields/],
    [
      'two files',
      filePart('file', CSV) + filePart('file', CSV) + closing,
      413,
      'data.upload_limit_exceeded',
      /more than one file/,
    ],
    [
      'a file over the size limit',
      filePart('file', CSV + '1,2\n'.repeat(MAX_UPLOAD)) + closing,
      413,
      'data.upload_too_large',
      /IMPORT_MAX_UPLOAD_BYTES \(1000 bytes\)/,
    ],
    [
      'a form field over 64 KiB',
      field('note', 'x'.repeat(70_000)) + filePart('file', CSV) + closing,
      413,
      'data.upload_limit_exceeded',
      /form field longer than 65536 bytes/,
    ],
    [
      'a body without its closing boundary',
      filePart('file', CSV),
      400,
      'data.malformed_upload',
      /ended before its file did/,
    ],
    ['a body cut off inside the file', fileHead + 'a,b\n1,', 400, 'data.malformed_upload', /ended before its file did/],
    [
      'a file under another field name',
      filePart('data', CSV) + closing,
      400,
      'data.malformed_upload',
      /the CSV goes in the `file` field/,
    ],
    [
      'a part named __proto__',
      field('__proto__', 'x') + filePart('file', CSV) + closing,
      400,
      'data.malformed_upload',
      /prototype/,
    ],
    ['no file part', field('a', 'b') + closing, 400, 'data.file_required', /`file` field/],
  ])('%s', (_name, body, status, code, message) => {
    it(`answers ${status} ${code} at once, stores nothing and leaves no temp file`, async () => {
      const before = { spools: await spools(), imports: await importCount() };
      const { answer } = upload([body]);
      const res = await answer;
      expect(res).toMatchObject({ status, body: { statusCode: status, code, message } });
      expect(res!.body.requestId).toEqual(expect.any(String));
      expect(await spools()).toEqual(before.spools);
      expect(await importCount()).toBe(before.imports);
    });
  });

  it('a body that breaks off inside the file while it is being written: 400, and the spool is gone', async () => {
    const before = await spools();
    const { req, answer } = upload([fileHead, 'a,b\n', '1,2\n'.repeat(50)], { finish: false });
    await until('the spool to appear', async () => (await spools()).length > before.length);
    req.end('1,'); // chunked: the server sees the end of a body without the closing boundary
    expect(await answer).toMatchObject({ status: 400, body: { code: 'data.malformed_upload' } });
    expect(await spools()).toEqual(before);
  });

  it('a client that disconnects mid-upload leaves no spool behind, and the app keeps answering', async () => {
    const before = await spools();
    const { req } = upload([fileHead, 'a,b\n'], { finish: false, contentLength: 100_000 });
    await until('the spool to appear', async () => (await spools()).length > before.length);
    req.destroy();
    await until('the spool to be removed', async () => (await spools()).length === before.length);
    expect((await http.get('/health/live')).status).toBe(200);
  });

  it('keeps a file name with control characters as metadata without them', async () => {
    const part = filePart('file', 'a,b\n3,4\n').replace('filename="f.csv"', 'filename="a\u0000b\u0007.csv"');
    const res = await upload([part + closing]).answer;
    expect(res).toMatchObject({ status: 201, body: { version: { sourceName: 'ab.csv' } } });
  });

  it('a well-formed upload still imports, and its spool is removed once the import is done', async () => {
    const before = await spools();
    const { answer } = upload([filePart('file', CSV) + fields(20) + closing]);
    expect(await answer).toMatchObject({ status: 201, body: { status: 'created', version: { rowCount: 1 } } });
    expect(await spools()).toEqual(before);
  });
});
