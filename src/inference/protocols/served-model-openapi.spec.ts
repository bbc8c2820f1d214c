import type { OpenAPIObject } from '@nestjs/swagger';
import type { BundleSignature } from '../../ml';
import { componentName, servedModelParts, type DocumentedModel, type ServedModels } from './served-model-openapi';

const SIGNATURE: BundleSignature = {
  features: [
    { name: 'Age', type: 'integer', nullable: false },
    { name: 'Income', type: 'number', nullable: true },
    { name: 'Home', type: 'category', nullable: true, categories: Array.from({ length: 25 }, (_, i) => `h${i}`) },
  ],
  target: { name: 'Status', type: 'category', task: 'binary', classes: ['bad', 'good'], positiveClass: 'good' },
};

/** The static document as far as the builder reads it: the generic operation and the components. */
const BASE = {
  openapi: '3.0.0',
  info: { title: 'ML API', version: '1' },
  paths: {
    '/models/{name}/predict': {
      post: {
        operationId: 'PredictController_predict',
        tags: ['inference'],
        description: 'generic.',
        parameters: [
          { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'version', in: 'query', required: false, schema: { type: 'number' } },
        ],
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/PredictRequestDto' } } },
        },
        responses: { '200': { description: '' } },
        security: [{ bearer: [] }],
      },
    },
  },
  components: { schemas: { PredictRequestDto: {}, CreditFeatures: {} } },
} as unknown as OpenAPIObject;

const model = (name: string, version = 1): DocumentedModel => ({
  model: name,
  version,
  signature: SIGNATURE,
  example: { Age: 30, Income: null, Home: 'h1' },
});

const served = (documented: DocumentedModel[], more: Partial<ServedModels> = {}): ServedModels => ({
  alias: 'production',
  documented,
  unreadable: [],
  holders: documented.length,
  models: documented.length,
  cap: 25,
  ...more,
});

describe('componentName', () => {
  it('PascalCases the alphanumeric runs and puts Model before a leading digit', () => {
    const taken = new Set<string>();
    expect(componentName('credit-risk.v2', taken)).toBe('CreditRiskV2');
    expect(componentName('2024_q1', taken)).toBe('Model2024Q1');
    expect(componentName('pima', taken)).toBe('Pima');
  });

  it('numbers names that collide, with each other or with the static components', () => {
    const taken = new Set(['CreditFeatures']);
    expect(componentName('credit', taken)).toBe('Credit_2');
    expect(componentName('Credit', taken)).toBe('Credit_3');
    expect(componentName('pima_x', taken)).toBe('PimaX');
    expect(componentName('pima-x', taken)).toBe('PimaX_2');
    expect(taken).toContain('PimaX_2PredictRequest');
  });
});

describe('servedModelParts', () => {
  it('gives each model a features component, a request with the example and its own operation', () => {
    const parts = servedModelParts(BASE, served([model('credit', 3), model('pima')]));
    expect(Object.keys(parts.schemas)).toEqual([
      'Credit_2Features',
      'Credit_2PredictRequest',
      'PimaFeatures',
      'PimaPredictRequest',
    ]);
    expect(parts.schemas.Credit_2PredictRequest.example).toEqual({ features: { Age: 30, Income: null, Home: 'h1' } });
    expect(parts.schemas.Credit_2Features).toMatchObject({
      title: 'credit v3 features',
      required: ['Age'],
      additionalProperties: false,
    });
    const op = parts.paths['/models/credit/predict'].post!;
    expect(op).toMatchObject({
      operationId: 'predictCredit_2',
      tags: ['models'],
      security: [{ bearer: [] }],
      responses: { '200': { description: '' } },
      'x-served-model': { model: 'credit', alias: 'production', version: 3, operation: 'POST /models/{name}/predict' },
    });
    expect(op.parameters).toEqual([expect.objectContaining({ name: 'version', in: 'query' })]);
    expect(op.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Credit_2PredictRequest' } } },
    });
    expect(parts.tags.map((t) => t.name)).toEqual(['models']);
    // The static document is not changed.
    expect(Object.keys(BASE.paths)).toEqual(['/models/{name}/predict']);
  });

  it('writes the features in the OpenAPI 3.0 dialect: nullable, anyOf, known categories', () => {
    const { properties } = servedModelParts(BASE, served([model('pima')])).schemas.PimaFeatures;
    expect(properties!.Age).toMatchObject({ type: 'integer' });
    expect(properties!.Income).toEqual({ type: 'number', nullable: true });
    const home = properties!.Home as Record<string, unknown>;
    expect(home).toMatchObject({ nullable: true, anyOf: [{ type: 'string' }, { type: 'number' }], example: 'h0' });
    expect(home.description).toMatch(/known: h0, h1, .*h19 and 5 more$/);
    expect(JSON.stringify(properties)).not.toMatch(/"null"|"examples"|\$schema/);
  });

  it('says what it leaves out: past the cap, without the alias, unreadable', () => {
    const parts = servedModelParts(
      BASE,
      served([model('a')], {
        holders: 30,
        models: 32,
        cap: 1,
        unreadable: [{ model: 'b', version: 2, reason: 'the bundle is not valid JSON' }],
      }),
    );
    expect(parts.note).toContain('Only the first 1 of 30 such models by name are listed here.');
    expect(parts.note).toContain('2 model(s) without a `production` alias are not listed');
    expect(parts.note).toContain('b v2 (the bundle is not valid JSON)');
  });

  it('adds no operation when the static document has no generic one', () => {
    const parts = servedModelParts({ ...BASE, paths: {} }, served([model('credit')]));
    expect(parts).toMatchObject({ paths: {}, schemas: {}, tags: [] });
  });
});
