import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetUsageChecker, DatasetUsageCheckers } from '../../src/data/dataset-usage';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

const DATA = join(__dirname, '../../data');

export async function upload(
  t: TestApp,
  token: string,
  ref: string,
  content: string | Buffer,
  query = '',
  filename = 'file.csv',
) {
  const form = new FormData();
  form.append('file', new Blob([content]), filename);
  const res = await fetch(`${t.baseUrl}/datasets/${encodeURIComponent(ref)}/imports${query}`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function poll(http: Http, ref: string, id: string) {
  for (let i = 0; i < 200; i++) {
    const res = await http.get(`/datasets/${encodeURIComponent(ref)}/imports/${id}`);
    if (!['queued', 'running'].includes(res.body.status)) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

describe('data over HTTP', () => {
  let t: TestApp;
  let scientist: Http;
  let consumer: Http;
  let admin: Http;
  let scientistToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    scientistToken = await tokenFor(t, 'scientist');
    scientist = new Http(t.baseUrl, scientistToken);
    consumer = new Http(t.baseUrl, await tokenFor(t, 'consumer'));
    admin = new Http(t.baseUrl, await tokenFor(t, 'admin'));
  });
  afterAll(() => t.close());

  it('requires a token and the scientist role to write, and to read (consumers see no training data)', async () => {
    expect((await new Http(t.baseUrl).get('/datasets')).status).toBe(401);
    expect((await consumer.post('/datasets', { name: 'nope' })).status).toBe(403);
    expect((await consumer.get('/datasets')).status).toBe(403);
    expect((await scientist.get('/datasets')).status).toBe(200);
  });

  it('uploads lending_club.csv (async, polled) and serves versions, profile and rows', async () => {
    const created = await scientist.post('/datasets', { name: 'lending club', target: 'Class' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'lending club', schemaSource: 'none', schema: null });
    const content = readFileSync(join(DATA, 'lending_club.csv'));
    const res = await upload(t, scientistToken, 'lending club', content);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: expect.any(String), status: expect.stringMatching(/queued|running/) });
    const job = await poll(scientist, 'lending club', res.body.id);
    expect(job).toMatchObject({ status: 'succeeded', versionId: expect.any(String), bytesRead: content.length });
    const lines = content.toString('utf8').trim().split('\n').length - 1;
    expect(job.rowsRead).toBe(lines);

    const versions = await scientist.get(`/datasets/${created.body.id}/versions`);
    expect(versions.body).toHaveLength(1);
    expect(versions.body[0]).toMatchObject({
      number: 1,
      rowCount: lines - job.rowsRejected,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const v = await scientist.get('/datasets/lending%20club/versions/1');
    expect(v.body.schema.columns).toHaveLength(23);
    expect(v.body.profile.columns.find((c: { name: string }) => c.name === 'Class').profile).toMatchObject({
      kind: 'category',
      count: lines - job.rowsRejected,
    });

    const page1 = await scientist.get('/datasets/lending%20club/versions/1/rows?limit=2');
    expect(page1.body.rows).toHaveLength(2);
    expect(page1.body.rows[0]).toMatchObject({ funded_amnt: 16100, term: 'term_36', int_rate: 13.99, Class: 'good' });
    expect((await consumer.get('/datasets/lending%20club/versions/1/rows?limit=2')).status).toBe(403);
    const page2 = await scientist.get(
      `/datasets/lending%20club/versions/1/rows?limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page1.body.rows[1]).toMatchObject({ funded_amnt: 32000, addr_state: 'MN' });
    const third = content.toString('utf8').split('\n')[3].split(',');
    expect(page2.body.rows[0]).toMatchObject({ funded_amnt: Number(third[0]), addr_state: JSON.parse(third[4]) });

    // Confirm the inferred schema.
    expect((await scientist.post(`/datasets/${created.body.id}/schema/confirm`)).body.schemaSource).toBe('confirmed');
  });

  it('answers an identical upload with the existing version, and a new file with version 2', async () => {
    await scientist.post('/datasets', { name: 'credit', target: 'Status' });
    const content = readFileSync(join(DATA, 'credit_data.csv'));
    const first = await upload(t, scientistToken, 'credit', content, '?wait=true');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'created', version: { number: 1, rowCount: 4454 } });
    const again = await upload(t, scientistToken, 'credit', content, '?wait=true');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'duplicate', version: { id: first.body.version.id, number: 1 } });
    const lines = content.toString('utf8').split('\n');
    const fewer = lines.slice(0, 101).join('\n') + '\n';
    const second = await upload(t, scientistToken, 'credit', fewer, '?wait=true');
    expect(second.body).toMatchObject({ status: 'created', version: { number: 2, rowCount: 100 } });
    expect((await scientist.get('/datasets/credit/versions')).body.map((v: { number: number }) => v.number)).toEqual([
      1, 2,
    ]);
  });

  it('deletes a dataset (admin only), and refuses with 409 when a version is in use', async () => {
    await scientist.post('/datasets', { name: 'to delete' });
    await upload(t, scientistToken, 'to delete', 'a,b\n1,2\n', '?wait=true');
    expect((await scientist.delete('/datasets/to%20delete')).status).toBe(403);
    const checker = new (class extends DatasetUsageChecker {
      async usages(ids: string[]) {
        return ids.map((versionId) => ({ versionId, usedBy: 'model m1 v1' }));
      }
    })();
    t.app.get(DatasetUsageCheckers).register(checker);
    const refused = await admin.delete('/datasets/to%20delete');
    expect(refused.status).toBe(409);
    expect(refused.body.details[0].message).toBe('used by model m1 v1');
    t.app.get<DatasetUsageCheckers, { checkers: unknown[] }>(DatasetUsageCheckers).checkers.length = 0;
    expect((await admin.delete('/datasets/to%20delete')).status).toBe(204);
    expect((await admin.get('/datasets/to%20delete')).status).toBe(404);
  });

  it('documents every data endpoint in OpenAPI', async () => {
    const doc = await new Http(t.baseUrl).get('/docs-json');
    for (const p of [
      '/datasets',
      '/datasets/{ref}',
      '/datasets/{ref}/imports',
      '/datasets/{ref}/imports/{id}',
      '/datasets/{ref}/versions/{number}/rows',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(p);
    }
  });
});
