import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { trainModel } from '../../src/ml/trainer';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { operations } from '../fuzz/support/openapi-walk';
import { creditData, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { replicaApp } from '../support/replica';

interface Doc {
  info: { description: string };
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any> };
}

/** The fields of the second version: a subset of the credit data's, so the schemas differ. */
const FEW = ['Seniority', 'Income', 'Amount'];

/**
 * The served models in the OpenAPI document, on two replicas of the real app (one database, one
 * Redis prefix): `credit` with alias production (v1 all fields, v2 three), `draft` without it.
 */
describe('GET /docs-json: each served model with its own predict body', () => {
  let t: TestApp;
  let replica: NestFastifyApplication;
  let a: Http;
  let b: Http;
  let allFields: string[];

  beforeAll(async () => {
    // Aliases trusted for 10 minutes: only the alias-moved event can refresh the document in time.
    t = await startTestApp({ INFERENCE_ALIAS_TTL_MS: '600000' });
    replica = await replicaApp(t.config);
    await replica.listen({ port: 0, host: '127.0.0.1' });
    const token = await tokenFor(t, 'consumer');
    a = new Http(t.baseUrl, token);
    b = new Http(`http://127.0.0.1:${(replica.getHttpServer().address() as { port: number }).port}`, token);

    const data = creditData(300);
    allFields = data.schema.columns.map((c) => c.name).filter((n) => n !== 'Status');
    const few = await trainModel({
      ...data,
      target: 'Status',
      task: 'binary',
      family: 'logistic',
      positiveClass: 'good',
      seed: 2,
      features: FEW,
      hyperparameters: { epochs: 1 },
    });
    few.predictor.dispose();
    expect(await registerBundle(t.app, 'credit', await trainCreditBundle(data, 1, 1, 'logistic'))).toBe(1);
    expect(await registerBundle(t.app, 'credit', few.bundle)).toBe(2);
    expect(await registerBundle(t.app, 'draft', few.bundle)).toBe(1);
    await moveAlias(t.app, 'credit', 'production', 1);
  });
  afterAll(async () => {
    await replica?.close();
    await t?.close();
  });

  const docOf = async (http: Http): Promise<Doc> => {
    const res = await new Http(http.baseUrl).get<Doc>('/docs-json');
    expect(res.status).toBe(200);
    return res.body;
  };

  it("holds the production version's fields, and its example predicts on the model's own operation", async () => {
    const doc = await docOf(a);
    const features = doc.components.schemas.CreditFeatures;
    expect(Object.keys(features.properties).sort()).toEqual([...allFields].sort());
    expect(features).toMatchObject({ type: 'object', additionalProperties: false, title: 'credit v1 features' });

    const op = doc.paths['/models/credit/predict'].post;
    expect(op.tags).toEqual(['models']);
    expect(op['x-served-model']).toEqual({
      model: 'credit',
      alias: 'production',
      version: 1,
      operation: 'POST /models/{name}/predict',
    });
    expect(op.parameters.map((p: { in: string }) => p.in)).not.toContain('path');
    expect(op.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CreditPredictRequest');

    const { example } = doc.components.schemas.CreditPredictRequest;
    expect(Object.keys(example.features).sort()).toEqual([...allFields].sort());
    const res = await a.post('/models/credit/predict', example);
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
  });

  it('leaves out a model without a production alias, and says so', async () => {
    const doc = await docOf(a);
    expect(doc.paths['/models/draft/predict']).toBeUndefined();
    expect(Object.keys(doc.components.schemas).filter((k) => k.startsWith('Draft'))).toEqual([]);
    expect(doc.info.description).toContain('1 model(s) without a `production` alias are not listed');
  });

  it('is walked by the fuzz suite as the generic operation only, not once per model', async () => {
    const paths = operations((await docOf(a)) as unknown as OpenAPIObject).map((o) => `${o.method} ${o.path}`);
    expect(paths).toContain('POST /models/{name}/predict');
    expect(paths).not.toContain('POST /models/credit/predict');
  });

  it('is what Swagger UI shows', async () => {
    const init = await fetch(`${t.baseUrl}/docs/swagger-ui-init.js`);
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('CreditPredictRequest');
  });

  it('follows an alias moved on the other replica, through the event channel', async () => {
    expect(Object.keys((await docOf(b)).components.schemas.CreditFeatures.properties)).toHaveLength(allFields.length);
    await moveAlias(t.app, 'credit', 'production', 2);
    let fields: string[] = [];
    for (const until = Date.now() + 5000; Date.now() < until;) {
      fields = Object.keys((await docOf(b)).components.schemas.CreditFeatures.properties);
      if (fields.length === FEW.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fields.sort()).toEqual([...FEW].sort());

    const doc = await docOf(b);
    expect(doc.paths['/models/credit/predict'].post['x-served-model'].version).toBe(2);
    const res = await b.post('/models/credit/predict', doc.components.schemas.CreditPredictRequest.example);
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
    expect(Object.keys((await docOf(a)).components.schemas.CreditFeatures.properties).sort()).toEqual([...FEW].sort());
  });
});
