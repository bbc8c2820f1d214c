import { tokenFor } from '../support/auth';
import type { Http, JsonResponse } from '../support/http';
import { InferenceFixture, MODEL } from '../support/inference-fixture';
import type { TestApp } from '../support/test-app';

/** A value nested `depth` levels: {"a":{"a":...{"a":1}}}. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** The app's own error body: every refusal below must answer it, never Fastify's or a bare 500. */
function expectAppError(res: JsonResponse, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ statusCode: status, requestId: expect.any(String), details: expect.any(Array) });
  if (code) expect(res.body.code).toBe(code);
  expect(res.headers.get('x-request-id')).toBe(res.body.requestId);
}

/** Issue #17, items 1, 2, 7 and two of 12: what bodies, paths and queries cannot do to the app. */
describe('robustness: bodies, paths and queries (issue #17)', () => {
  let f: InferenceFixture;
  let t: TestApp;
  let http: Http;
  let scientist: Http;
  let admin: Http;

  beforeAll(async () => {
    f = await InferenceFixture.start();
    ({ t, http } = f);
    scientist = http.as(await tokenFor(t, 'scientist'));
    admin = http.as(await tokenFor(t, 'admin'));
  });
  afterAll(() => f.t.close());

  describe('item 1: the work a body costs is bounded before validation', () => {
    it('answers an 85,000-key login body at once with a small 422, and /health/live is not held up', async () => {
      const body: Record<string, unknown> = { email: 'a@example.com', password: 'x' };
      for (let i = 0; i < 85_000; i++) body[i.toString(36)] = 0;
      const raw = JSON.stringify(body);
      expect(raw.length).toBeLessThan(t.config.env.BODY_LIMIT_BYTES);
      const login = http.post('/auth/login', raw);
      // Sent while the login body is being handled: it waits only if the event loop is blocked.
      const probe = (async () => {
        await new Promise((r) => setTimeout(r, 20));
        const started = performance.now();
        const res = await http.get('/health/live');
        return { status: res.status, ms: performance.now() - started };
      })();
      const [res, live] = await Promise.all([login, probe]);
      expectAppError(res, 422, 'common.body_too_complex');
      expect(res.body.details).toEqual([expect.objectContaining({ field: '', limit: 2000 })]);
      expect(res.body.message).toContain('2000');
      expect(JSON.stringify(res.body).length).toBeLessThan(2000);
      expect(live.status).toBe(200);
      expect(live.ms).toBeLessThan(1000);
    });

    it('bounds the values of a whole body, not only of one object', async () => {
      const res = await http.post('/auth/login', {
        email: 'a@example.com',
        password: 'x',
        list: new Array(150_000).fill(0),
      });
      expectAppError(res, 422, 'common.body_too_complex');
      expect(res.body.message).toContain('100000');
    });

    it('bounds a body validated against a DTO tighter than a predict body', async () => {
      const res = await http.post('/auth/login', {
        email: 'a@example.com',
        password: 'x',
        list: new Array(20_000).fill(0),
      });
      expectAppError(res, 422, 'common.body_too_complex');
      expect(res.body.details).toEqual([expect.objectContaining({ limit: 10_000 })]);
      const instances = Array.from({ length: 500 }, () => f.features);
      expect((await f.consumer.post(`/models/${MODEL}/predict`, { instances })).status).toBe(200);
    });

    it('refuses a string longer than 65,536 characters, naming the field and the limit', async () => {
      const res = await http.post('/auth/login', { email: 'a@example.com', password: 'x'.repeat(70_000) });
      expectAppError(res, 422, 'common.body_too_complex');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'password', limit: 65536 })]);
    });

    it('answers the first 100 details and says how many more there were', async () => {
      const body: Record<string, unknown> = { email: 'a@example.com', password: 'x' };
      for (let i = 0; i < 500; i++) body[`k${i}`] = i;
      const res = await http.post('/auth/login', body);
      expectAppError(res, 422, 'common.validation_failed');
      expect(res.body.details).toHaveLength(100);
      expect(res.body.detailsOmitted).toBe(400);
    });
  });

  describe('item 2: any depth answers 422 naming the limit', () => {
    it.each([
      ['POST /auth/login', '/auth/login', (v: unknown) => ({ email: v, password: 'x' })],
      ['POST /datasets', '/datasets', (v: unknown) => ({ name: 'deep', schema: v })],
      [`POST /models/${MODEL}/predict`, `/models/${MODEL}/predict`, (v: unknown) => ({ features: v })],
    ])('%s with a body nested 2,000 levels', async (_, path, wrap) => {
      const res = await admin.post(path, wrap(nested(2000)));
      expectAppError(res, 422, 'common.body_too_complex');
      expect(res.body.message).toContain('32');
      expect(res.body.details[0]).toMatchObject({ limit: 32 });
    });

    it('still accepts a nested body within the limits', async () => {
      const schema = { columns: [{ name: 'a', type: 'category', nullable: false, categories: ['x', 'y'] }] };
      const res = await scientist.post('/datasets', { name: 'nested-ok', schema });
      expect(res.status).toBe(201);
    });
  });

  describe('item 7: values the database cannot hold are refused at the edge, naming the field', () => {
    it.each([
      ['a path segment', 'GET', '/datasets/%00', 'ref'],
      ['a path segment of predict (was a false 503)', 'POST', `/models/cr%00edit/predict`, 'name'],
      ['an experiment name', 'GET', '/experiments/a%00b', 'idOrName'],
      ['a query parameter', 'GET', '/runs?experiment=a%00b', 'experiment'],
    ])('NUL in %s: 422', async (_, method, path, field) => {
      const res = await admin.request<any>(method, path, method === 'POST' ? { features: f.features } : undefined);
      expectAppError(res, 422, 'common.validation_failed');
      expect(res.body.details).toEqual([expect.objectContaining({ field })]);
      expect(res.body.details[0].message).toContain('NUL');
    });

    it('NUL in a body field, a nested field and a key: 422 naming each', async () => {
      let res = await scientist.post('/datasets', { name: 'a\u0000b' });
      expectAppError(res, 422, 'common.validation_failed');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'name' })]);
      res = await f.consumer.post(`/models/${MODEL}/predict`, { features: { ...f.features, Home: 'r\u0000ent' } });
      expectAppError(res, 422, 'common.validation_failed');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'features.Home' })]);
      res = await f.consumer.post(`/models/${MODEL}/predict`, { features: { ...f.features, ['H\u0000']: 1 } });
      expectAppError(res, 422, 'common.validation_failed');
      expect(res.body.details[0].message).toContain('NUL');
    });

    it.each([
      ['POST /predictions/feedback', '/predictions/feedback', { items: [[]] }, 'items'],
      ['POST /datasets', '/datasets', { name: 'nested-array', schema: { columns: [[]] } }, 'schema.columns'],
    ])(
      '%s: an array where a list holds objects answers 422 naming it (found by the fuzz suite)',
      async (_, path, body, field) => {
        const as = path === '/datasets' ? scientist : f.consumer;
        const res = await as.post(path, body);
        expectAppError(res, 422, 'common.validation_failed');
        expect(res.body.details).toEqual([{ field, message: expect.stringMatching(/must be an object/) }]);
      },
    );

    it('a declared schema that is an array, not an object: 422 naming it (found by the fuzz suite)', async () => {
      const res = await scientist.post('/datasets', { name: 'array-schema', schema: [] });
      expectAppError(res, 422, 'common.validation_failed');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'schema' })]);
    });

    it('a lone surrogate in a body field: 422 naming it, not the 500 of an email validator that encodes it', async () => {
      const res = await admin.post('/users', {
        email: '\udfff@example.com',
        password: 'long enough 123',
        role: 'consumer',
      });
      expectAppError(res, 422, 'common.validation_failed');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'email' })]);
      expect(res.body.details[0].message).toContain('lone surrogate');
    });

    it.each([
      ['a model version', `/models/${MODEL}/versions/99999999999`],
      ['a v2 model version', `/v2/models/${MODEL}/versions/99999999999/ready`],
      ['a dataset version', '/datasets/nope/versions/99999999999'],
    ])('an integer beyond int4 in %s path: 422 naming it', async (_, path) => {
      const res = await admin.get(path);
      expectAppError(res, 422, 'common.validation_failed');
      expect(res.body.details[0].field).toMatch(/^(version|number)$/);
    });

    it('integers beyond int4 in a body or a query: 422 naming the field', async () => {
      let res = await scientist.request<any>('PUT', `/models/${MODEL}/aliases/staging`, {
        version: 1e20,
        reason: 'too big',
      });
      expectAppError(res, 422, 'common.validation_failed');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'version' })]);
      res = await scientist.post('/training-jobs', { dataset: 'credit', version: 3_000_000_000, task: 'binary' });
      expectAppError(res, 422, 'common.validation_failed');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'version' })]);
      res = await scientist.get('/datasets?offset=99999999999999999999');
      expectAppError(res, 422, 'common.validation_failed');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'offset' })]);
    });
  });

  describe('item 12: long path parameters and long error lists', () => {
    it('looks up a dataset whose name has 200 characters (it could be created, never read)', async () => {
      const name = 'd'.repeat(200);
      expect((await scientist.post('/datasets', { name })).status).toBe(201);
      const res = await scientist.get(`/datasets/${name}`);
      expect(res.status).toBe(200);
      expect(res.body.name).toBe(name);
    });

    it("answers a path parameter over the router's limit with the app's body and headers", async () => {
      const res = await scientist.get(`/datasets/${'d'.repeat(5000)}`);
      expectAppError(res, 414);
      expect(res.body.message).toMatch(/path parameter/i);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('caps the unknown features a full batch echoes', async () => {
      const unknown = Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [`bogus_feature_${'x'.repeat(20)}_${i}`, 1]),
      );
      const instances = Array.from({ length: t.config.env.INFERENCE_MAX_BATCH }, () => ({ ...f.features, ...unknown }));
      const res = await f.consumer.post(`/models/${MODEL}/predict`, { instances });
      expectAppError(res, 422, 'inference.invalid_model_input');
      expect(res.body.details).toHaveLength(100);
      expect(res.body.detailsOmitted).toBe(20 * instances.length - 100);
      expect(JSON.stringify(res.body).length).toBeLessThan(20_000);
    });
  });
});
