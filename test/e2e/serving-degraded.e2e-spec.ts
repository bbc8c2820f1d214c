import { ApiTokensService } from '../../src/auth/services/api-tokens.service';
import { loginAs } from '../support/auth';
import { Http } from '../support/http';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { PrivatePostgres } from '../support/private-services';
import { startTestApp, type TestApp } from '../support/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** PostgreSQL down for longer than every cache's freshness: predictions go on, readiness holds. */
describe('serving while PostgreSQL is down (private instance)', () => {
  let pg: PrivatePostgres;
  let t: TestApp;
  let predictor: Http;
  let scraper: Http;
  let body: unknown;

  beforeAll(async () => {
    pg = await PrivatePostgres.startMigrated();
    t = await startTestApp({
      ...pg.env('mlapi'),
      APP_ROLE: 'api',
      INFERENCE_ALIAS_TTL_MS: '500',
      API_TOKEN_CACHE_MS: '500',
      DEPENDENCY_CHECK_MS: '200',
    });
    const data = creditData(300);
    await registerBundle(t.app, 'credit', await trainCreditBundle(data, 1, 1));
    await moveAlias(t.app, 'credit', 'production', 1);
    const creator = (await loginAs(t, 'admin')).user.id;
    const tokens = t.app.get(ApiTokensService);
    predictor = new Http(t.baseUrl, (await tokens.create({ name: 'p', scopes: ['predict'] }, creator)).token);
    scraper = new Http(t.baseUrl, (await tokens.create({ name: 'm', scopes: ['metrics:read'] }, creator)).token);
    body = { features: featuresOf(data.records[0]) };
    expect((await predictor.post('/models/credit/predict', body)).status).toBe(200);
    expect((await scraper.get('/metrics')).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await pg?.destroy();
  });

  it('answers predictions and readiness from memory, counts the stale answers, and says so', async () => {
    await pg.down();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const started = Date.now();
      const res = await predictor.post('/models/credit/predict', body);
      statuses.push(res.status);
      if (Date.now() - started > 1000) throw new Error(`prediction ${i} took ${Date.now() - started} ms`);
      await sleep(100);
    }
    expect(new Set(statuses)).toEqual(new Set([200]));
    const ready = await new Http(t.baseUrl).get('/health/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ok', degraded: { database: { status: 'down' } } } });
    // The Open Inference v2 probe agrees: a dependency down is not unreadiness (it answered 503 here).
    const v2 = await new Http(t.baseUrl).get('/v2/health/ready');
    expect({ status: v2.status, body: v2.body }).toEqual({ status: 200, body: { ready: true } });
    const metrics = (await scraper.get('/metrics')).body as string;
    expect(metrics).toMatch(/mlapi_dependency_up\{dependency="PostgreSQL"\} 0/);
    expect(metrics).toMatch(/mlapi_stale_answers_total\{cache="alias"\} [1-9]/);
    expect(metrics).toMatch(/mlapi_stale_answers_total\{cache="api-token"\} [1-9]/);
    expect(t.logs()).toMatch(/serving api-token answers from memory/);
    expect(t.logs()).toMatch(/PostgreSQL is unreachable/);

    await pg.up();
    for (let i = 0; i < 50 && !/answers again: api-token/.test(t.logs()); i++) {
      expect((await predictor.post('/models/credit/predict', body)).status).toBe(200);
      await sleep(200);
    }
    expect(t.logs()).toMatch(/the database answers again: api-token answers are fresh/);
  }, 60_000);
});
