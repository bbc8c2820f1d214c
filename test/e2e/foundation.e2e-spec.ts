import { DataSource } from 'typeorm';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

describe('foundation (real app, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let http: Http;

  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: '2048' });
    http = new Http(t.baseUrl);
  });
  afterAll(() => t.close());

  it('is not ready when a migration this build ships is not applied, and names it', async () => {
    const db = t.app.get(DataSource);
    // TypeORM answers a DELETE with [rows, count].
    const [[last]] = await db.query('DELETE FROM migrations WHERE id = (SELECT max(id) FROM migrations) RETURNING *');
    // The check runs as a replica starts (PostgreSQL is reachable then), so a new one sees it.
    const behind = await startTestApp({ PGDATABASE: t.database });
    try {
      const ready = await new Http(behind.baseUrl).get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.error.migrations).toEqual({ status: 'down', message: `pending migrations: ${last.name}` });
    } finally {
      await behind.close();
      await db.query('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [
        last.id,
        last.timestamp,
        last.name,
      ]);
    }
  });

  it('writes no log line for a readiness probe', async () => {
    await http.get('/health/ready');
    const before = t.logs().length;
    expect((await http.get('/health/ready')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.logs().slice(before)).toBe('');
  });

  it('reports liveness, and readiness with every check in the terminus shape', async () => {
    const live = await http.get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toEqual({
      serving: { status: 'up', models: [] },
      database: { status: 'up', since: expect.any(String) },
      redis: { status: 'up', since: expect.any(String) },
      migrations: { status: 'up' },
      tfjs: expect.objectContaining({ status: 'up', backend: expect.stringMatching(/^(tensorflow|wasm|cpu)$/) }),
      // APP_ROLE=all: this process is also the worker whose heartbeat is reported.
      workers: { status: 'up', alive: 1, workers: [{ id: expect.any(String), lastBeatAt: expect.any(String) }] },
    });
  });

  it('answers unknown routes with the one error body', async () => {
    const res = await http.get('/no/such/route', { 'x-request-id': 'req-abc-123' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: expect.any(String),
      details: [],
      requestId: 'req-abc-123',
    });
    expect(res.headers.get('x-request-id')).toBe('req-abc-123');
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await http.post('/auth/login', '{"email": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/JSON/);
    expect(res.body.requestId).toEqual(expect.any(String));
  });

  it('refuses a body over the configured limit with 413', async () => {
    const res = await http.post('/auth/login', { email: 'a@b.c', password: 'x'.repeat(4000) });
    expect(res.status).toBe(413);
    expect(res.body.statusCode).toBe(413);
  });

  it('sets security headers', async () => {
    const res = await http.get('/health/live');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('serves Swagger UI and the OpenAPI document with the bearer scheme', async () => {
    const ui = await fetch(`${t.baseUrl}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    const doc = await http.get('/docs-json');
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.body.paths)).toContain('/health/ready');
  });

  it('writes JSON log lines carrying the request id', async () => {
    await http.get('/no/such/route', { 'x-request-id': 'trace-me-42' });
    const lines = t
      .logs()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => (l.req as { id?: string } | undefined)?.id === 'trace-me-42')).toBe(true);
  });
});
