import { DataSource } from 'typeorm';
import { PredictionLog } from '../../src/inference/prediction-log/prediction-log.service';
import type { CellValue } from '../../src/ml/schema';
import { tokenFor } from '../support/auth';
import type { Http } from '../support/http';
import { InferenceFixture, MODEL } from '../support/inference-fixture';
import { moveAlias } from '../support/model-fixtures';
import type { TestApp } from '../support/test-app';

describe('inference (real app, PostgreSQL, Redis)', () => {
  let f: InferenceFixture;
  let t: TestApp;
  let http: Http;
  let consumer: Http;
  let features: Record<string, CellValue>;
  let required: string;
  const predict: InferenceFixture['predict'] = (...args) => f.predict(...args);
  const apiToken: InferenceFixture['apiToken'] = (scope) => f.apiToken(scope);

  beforeAll(async () => {
    f = await InferenceFixture.start();
    ({ t, http, consumer, features } = f);
    required = f.data.schema.columns.find((c) => !c.nullable && c.type !== 'category' && c.name !== 'Status')!.name;
  });
  afterAll(() => f.t.close());

  describe('POST /models/{name}/predict', () => {
    it('answers one record with class, probabilities, id and the version that answered', async () => {
      const res = await predict({ features });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ model: MODEL, version: 1, alias: 'production' });
      const [p] = res.body.predictions;
      // UUIDv7: time-ordered, so the log's primary key grows at its right edge.
      expect(p.predictionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(['bad', 'good']).toContain(p.label);
      expect(p.probabilities.good + p.probabilities.bad).toBeCloseTo(1, 5);
      expect(p).toMatchObject({ model: MODEL, version: 1, alias: 'production', unknownCategories: [] });
    });

    it('answers a batch in order, and an explicit version', async () => {
      const res = await predict({ instances: [features, features, features] }, '?version=2');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ version: 2, alias: null });
      expect(res.body.predictions).toHaveLength(3);
      const ids = res.body.predictions.map((p: { predictionId: string }) => p.predictionId);
      expect(new Set(ids).size).toBe(3);
      expect([...ids].sort()).toEqual(ids);
    });

    it('accepts an unknown category and says so', async () => {
      const res = await predict({ features: { ...features, Home: 'castle' } });
      expect(res.status).toBe(200);
      expect(res.body.predictions[0].unknownCategories).toEqual(['Home']);
    });

    it('lets consumers, scientists, admins and predict-scope tokens in, and nobody else', async () => {
      const predictToken = await apiToken('predict');
      const feedbackToken = await apiToken('feedback');
      expect((await predict({ features }, '', http.as(predictToken))).status).toBe(200);
      expect((await predict({ features }, '', http.as(await tokenFor(t, 'admin')))).status).toBe(200);
      expect((await http.as(feedbackToken).post(`/models/${MODEL}/predict`, { features })).status).toBe(403);
      // Scientists predict too (issue #17): they check the models they train.
      expect((await predict({ features }, '', http.as(await tokenFor(t, 'scientist')))).status).toBe(200);
      expect((await http.post(`/models/${MODEL}/predict`, { features })).status).toBe(401);
    });

    it('names every bad field and record: missing, wrong type, unknown feature, wrong nesting', async () => {
      const missing = Object.fromEntries(Object.entries(features).filter(([k]) => k !== required));
      const res = await predict({
        instances: [
          features,
          missing,
          { ...features, Age: 'thirty', bogus: 1 },
          { ...features, Home: { nested: 'rent' } },
          42,
        ],
      });
      expect(res.status).toBe(422);
      const details = res.body.details as { field: string; index: number; code: string }[];
      expect(details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: `instances[1].${required}`, index: 1, code: 'missing' }),
          expect.objectContaining({ field: 'instances[2].Age', index: 2, code: 'invalid' }),
          expect.objectContaining({ field: 'instances[2].bogus', index: 2, code: 'unknown_feature' }),
          expect.objectContaining({ field: 'instances[3].Home', index: 3, code: 'invalid' }),
          expect.objectContaining({ field: 'instances[4]', index: 4, code: 'not_an_object' }),
        ]),
      );
      expect(details.some((d) => d.index === 0)).toBe(false);
    });

    it('refuses a non-finite number (1e999 parses to Infinity)', async () => {
      const raw = JSON.stringify({ features: { ...features, Age: 12345 } }).replace('12345', '1e999');
      const res = await consumer.post(`/models/${MODEL}/predict`, raw);
      expect(res.status).toBe(422);
      expect(res.body.details).toEqual([
        expect.objectContaining({ field: 'features.Age', message: 'not a finite number' }),
      ]);
    });

    it('refuses a malformed envelope', async () => {
      for (const body of [
        { Age: 30 },
        { features: [features] },
        { features, instances: [features] },
        { instances: [] },
        [features],
      ]) {
        const res = await predict(body);
        expect(res.status).toBe(422);
        expect(res.body.details.length).toBeGreaterThan(0);
      }
    });

    it('never lets __proto__ or constructor reach a prototype', async () => {
      const withKey = (key: string, value: string) =>
        JSON.stringify({ features }).replace(/}}$/, `,"${key}":${value}}}`);
      const proto = await consumer.post(`/models/${MODEL}/predict`, withKey('__proto__', '{"polluted":true}'));
      expect(proto.status).toBe(400);
      const ctor = await consumer.post(
        `/models/${MODEL}/predict`,
        withKey('constructor', '{"prototype":{"polluted":true}}'),
      );
      expect(ctor.status).toBe(400);
      // Keys that exist on Object.prototype are plain unknown features.
      const names = await consumer.post(
        `/models/${MODEL}/predict`,
        JSON.stringify({ instances: [{ ...features, constructor: 1, toString: 2, hasOwnProperty: 3 }] }),
      );
      expect(names.status).toBe(422);
      expect(names.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'instances[0].constructor',
        'instances[0].hasOwnProperty',
        'instances[0].toString',
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses more than INFERENCE_MAX_BATCH instances with 413', async () => {
      const res = await predict({ instances: Array.from({ length: 1001 }, () => features) });
      expect(res.status).toBe(413);
      expect(res.body.details[0].field).toBe('instances');
    });

    it('404s an unknown model, alias or version; 422s alias and version together', async () => {
      expect((await consumer.post('/models/nope/predict', { features })).status).toBe(404);
      expect((await predict({ features }, '?alias=staging')).status).toBe(404);
      expect((await predict({ features }, '?version=99')).status).toBe(404);
      expect((await predict({ features }, '?version=1&alias=production')).status).toBe(422);
    });

    it('names a bad or unknown query parameter, and answers again without one', async () => {
      const bad = await predict({ features }, '?explain=maybe');
      expect(bad.status).toBe(422);
      expect(bad.body.details).toEqual([expect.objectContaining({ field: 'explain' })]);
      const unknown = await predict({ features }, '?verison=2');
      expect(unknown.status).toBe(422);
      expect(unknown.body.details).toEqual([expect.objectContaining({ field: 'verison' })]);
      expect((await predict({ features })).body.version).toBe(1);
    });

    it('is documented in the OpenAPI document: path, query, body, answers and bearer auth', async () => {
      const op = (await http.get('/docs-json')).body.paths['/models/{name}/predict'].post;
      const params = op.parameters.map((p: { in: string; name: string }) => `${p.in}:${p.name}`);
      expect(params.sort()).toEqual(['path:name', 'query:alias', 'query:explain', 'query:version']);
      expect(op.requestBody.content['application/json'].schema.$ref).toMatch(/PredictRequestDto$/);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '404', '413', '422', '503']));
      expect(op.security).toEqual([{ bearer: [] }]);
    });

    it('503s a bundle that cannot be loaded, with the reason, while the rest keeps serving', async () => {
      const res = await predict({ features }, '?alias=broken');
      expect(res.status).toBe(503);
      expect(res.body.message).toMatch(/version 3 cannot be loaded: unsupported bundle format version 99/);
      expect((await predict({ features })).status).toBe(200);
    });
  });

  describe('GET /models/{name}/schema', () => {
    it('returns the signature as JSON Schema with an example that predicts', async () => {
      const res = await consumer.get(`/models/${MODEL}/schema`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        model: MODEL,
        version: 1,
        alias: 'production',
        target: { name: 'Status', task: 'binary', classes: ['bad', 'good'] },
      });
      expect(res.body.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
      expect(Object.keys(res.body.inputSchema.properties)).toEqual(Object.keys(features));
      expect((await predict(res.body.example)).status).toBe(200);
      expect((await consumer.get(`/models/${MODEL}/schema?version=2`)).body.version).toBe(2);
      expect((await consumer.get('/models/nope/schema')).status).toBe(404);
    });
  });

  describe('alias swap', () => {
    it('moves production while requests flow: no request fails, every replica answers with the new version', async () => {
      let stop = false;
      const statuses: number[] = [];
      const versions: number[] = [];
      const worker = async () => {
        while (!stop) {
          const res = await predict({ features });
          statuses.push(res.status);
          if (res.status === 200) versions.push(res.body.version);
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      let seen = 1;
      try {
        await new Promise((r) => setTimeout(r, 200));
        await moveAlias(t.app, MODEL, 'production', 2);
        // Within a second of the move (Redis event), requests are answered by the new version.
        const movedAt = Date.now();
        while (seen !== 2 && Date.now() - movedAt < 1000) seen = (await predict({ features })).body.version;
        await new Promise((r) => setTimeout(r, 200));
      } finally {
        stop = true;
        await Promise.all(workers);
      }
      expect(seen).toBe(2);
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(versions).toContain(1);
      expect(versions[versions.length - 1]).toBe(2);
    });
  });

  describe('prediction log', () => {
    it('holds every prediction answered in this file exactly once', async () => {
      await expect(t.app.get(PredictionLog).flush()).resolves.toBe(true);
      const rows = await t.app
        .get(DataSource)
        .query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM inference.predictions WHERE id = ANY($1::uuid[]) GROUP BY id',
          [[...f.answered.keys()]],
        );
      expect(rows).toHaveLength(f.answered.size);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    });
  });
});
