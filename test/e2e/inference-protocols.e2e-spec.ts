import { DataSource } from 'typeorm';
import { PredictionLog } from '../../src/inference/prediction-log/prediction-log.service';
import type { CellValue } from '../../src/ml/schema';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

/** MLflow scoring protocol and Open Inference Protocol v2 on the real app. */
describe('inference protocols: MLflow invocations and Open Inference v2', () => {
  let t: TestApp;
  let http: Http;
  let consumer: Http;
  let features: Record<string, CellValue>;
  let expected: { label: string; good: number };

  const logged = async (caller?: string) => {
    await t.app.get(PredictionLog).flush();
    return t.app
      .get(DataSource)
      .query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM inference.predictions' + (caller ? ' WHERE caller = $1' : ''),
        caller ? [caller] : [],
      );
  };

  beforeAll(async () => {
    t = await startTestApp({ INFERENCE_LOG_FLUSH_MS: '100' });
    http = new Http(t.baseUrl);
    consumer = http.as(await tokenFor(t, 'consumer'));
    const data = creditData(400);
    await registerBundle(t.app, 'credit', await trainCreditBundle(data, 1, 2));
    await registerBundle(t.app, 'credit', await trainCreditBundle(data, 2, 2));
    await moveAlias(t.app, 'credit', 'production', 1);
    features = featuresOf(data.records[0]);
    const native = await consumer.post('/models/credit/predict', { features });
    expected = { label: native.body.predictions[0].label, good: native.body.predictions[0].probabilities.good };
  });
  afterAll(() => t.close());

  describe('POST /models/{name}/invocations (MLflow)', () => {
    it('accepts dataframe_split, dataframe_records, instances and inputs (records or columns), answering labels', async () => {
      const names = Object.keys(features);
      const bodies = [
        { dataframe_split: { columns: names, data: [Object.values(features), Object.values(features)] } },
        { dataframe_records: [features, features] },
        { instances: [features, features] },
        { inputs: [features, features] },
        { inputs: Object.fromEntries(names.map((n) => [n, [features[n], features[n]]])), params: {} },
      ];
      for (const body of bodies) {
        const res = await consumer.post('/models/credit/invocations', body);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ predictions: [expected.label, expected.label] });
        expect(res.headers.get('x-model-version')).toBe('1');
      }
      expect(
        (await consumer.post('/models/credit/invocations?version=2', { instances: [features] })).headers.get(
          'x-model-version',
        ),
      ).toBe('2');
    });

    it('names the record and field of a bad value, refuses bad envelopes, and logs what it answers', async () => {
      const names = Object.keys(features);
      const before = (await logged())[0].n;
      const row = Object.values(features);
      const bad = [...row];
      bad[names.indexOf('Age')] = 'old';
      const res = await consumer.post('/models/credit/invocations', {
        dataframe_split: { columns: names, data: [row, bad] },
      });
      expect(res.status).toBe(422);
      expect(res.body.details).toEqual([
        expect.objectContaining({ field: 'dataframe_split.data[1].Age', index: 1, code: 'invalid' }),
      ]);
      const records = await consumer.post('/models/credit/invocations', {
        dataframe_records: [features, { ...features, bogus: 1 }],
      });
      expect(records.body.details).toEqual([
        expect.objectContaining({ field: 'dataframe_records[1].bogus', code: 'unknown_feature' }),
      ]);
      for (const body of [
        {},
        { instances: [features], inputs: [features] },
        { dataframe_split: { columns: names, data: [[1]] } },
        { features },
      ]) {
        expect((await consumer.post('/models/credit/invocations', body)).status).toBe(422);
      }
      expect(
        (await consumer.post('/models/credit/invocations', { instances: [features, features, features] })).status,
      ).toBe(200);
      expect((await logged())[0].n).toBe(before + 3);
      expect((await http.post('/models/credit/invocations', { instances: [features] })).status).toBe(401);
    });
  });

  describe('Open Inference Protocol v2', () => {
    const tensors = (rows: Record<string, CellValue>[]) =>
      Object.keys(features).map((name) => {
        const v = features[name];
        const datatype =
          typeof v === 'string' ? 'BYTES' : typeof v === 'boolean' ? 'BOOL' : Number.isInteger(v) ? 'INT64' : 'FP64';
        return { name, datatype, shape: [rows.length], data: rows.map((r) => r[name]) };
      });

    it('serves health, readiness and model metadata', async () => {
      expect((await http.get('/v2/health/live')).body).toEqual({ live: true });
      expect((await http.get('/v2/health/ready')).body).toEqual({ ready: true });
      const meta = await consumer.get('/v2/models/credit');
      expect(meta.status).toBe(200);
      expect(meta.body).toMatchObject({ name: 'credit', versions: ['1', '2'], platform: 'tensorflowjs' });
      expect(meta.body.inputs).toEqual(
        expect.arrayContaining([
          { name: 'Age', datatype: 'INT64', shape: [-1] },
          { name: 'Home', datatype: 'BYTES', shape: [-1] },
        ]),
      );
      expect(meta.body.outputs).toEqual([
        { name: 'label', datatype: 'BYTES', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
        { name: 'prediction_id', datatype: 'BYTES', shape: [-1] },
      ]);
      expect((await consumer.get('/v2/models/credit/versions/2')).status).toBe(200);
      expect((await consumer.get('/v2/models/credit/ready')).body).toEqual({ ready: true });
      expect((await consumer.get('/v2/models/nope')).status).toBe(404);
      expect((await consumer.get('/v2/models/credit/versions/9/ready')).status).toBe(404);
    });

    it('infers with one tensor per feature: label BYTES [n] and probabilities FP32 [n, k]', async () => {
      const res = await consumer.post('/v2/models/credit/infer', { id: 'r1', inputs: tensors([features, features]) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        model_name: 'credit',
        model_version: '1',
        id: 'r1',
        parameters: { alias: 'production' },
      });
      const [label, probabilities, ids] = res.body.outputs;
      expect(label).toEqual({ name: 'label', datatype: 'BYTES', shape: [2], data: [expected.label, expected.label] });
      expect(probabilities).toMatchObject({
        name: 'probabilities',
        datatype: 'FP32',
        shape: [2, 2],
        parameters: { classes: 'bad,good' },
      });
      expect(probabilities.data[1]).toBeCloseTo(expected.good, 5);
      expect(probabilities.data[0] + probabilities.data[1]).toBeCloseTo(1, 5);
      expect(ids).toMatchObject({ name: 'prediction_id', shape: [2] });
      const only = await consumer.post('/v2/models/credit/versions/2/infer', {
        inputs: tensors([features]),
        outputs: [{ name: 'label' }],
      });
      expect(only.body.model_version).toBe('2');
      expect(only.body.outputs.map((o: { name: string }) => o.name)).toEqual(['label']);
      // Shape [n, 1] and nested data are the same tensor.
      const nested = tensors([features]).map((x) => ({ ...x, shape: [1, 1], data: [x.data] }));
      expect((await consumer.post('/v2/models/credit/infer', { inputs: nested })).body.outputs[0].data).toEqual([
        expected.label,
      ]);
    });

    it('names the tensor and record of a bad value, and refuses bad tensors', async () => {
      const bad = tensors([features, features]).map((x) =>
        x.name === 'Age' ? { ...x, datatype: 'BYTES', data: [30, 'old'] } : x,
      );
      const typed = await consumer.post('/v2/models/credit/infer', { inputs: bad });
      expect(typed.status).toBe(422);
      expect(typed.body.details).toEqual([expect.objectContaining({ field: 'inputs[Age].datatype' })]);
      const value = tensors([features, features]).map((x) =>
        x.name === 'Age' ? { ...x, datatype: 'FP64', data: [30, 30.5] } : x,
      );
      const res = await consumer.post('/v2/models/credit/infer', { inputs: value });
      expect(res.status).toBe(422);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'inputs[Age].data[1]', index: 1 })]);
      const missing = await consumer.post('/v2/models/credit/infer', {
        inputs: tensors([features]).filter((x) => x.name !== 'Age'),
      });
      expect(missing.body.details).toEqual([expect.objectContaining({ field: 'inputs[Age]', code: 'missing' })]);
      const shapes = tensors([features]).map((x) => (x.name === 'Age' ? { ...x, shape: [2] } : x));
      expect((await consumer.post('/v2/models/credit/infer', { inputs: shapes })).body.details[0].field).toBe(
        'inputs[Age].data',
      );
      expect(
        (
          await consumer.post('/v2/models/credit/infer', {
            inputs: [...tensors([features]), { name: 'bogus', datatype: 'FP64', shape: [1], data: [1] }],
          })
        ).status,
      ).toBe(422);
      expect((await http.post('/v2/models/credit/infer', { inputs: tensors([features]) })).status).toBe(401);
    });
  });
});

/** `?explain=true` on the native predict. */
describe('inference explanations', () => {
  let t: TestApp;
  let consumer: Http;
  let features: Record<string, CellValue>;

  beforeAll(async () => {
    t = await startTestApp();
    consumer = new Http(t.baseUrl).as(await tokenFor(t, 'consumer'));
    const data = creditData(400);
    await registerBundle(t.app, 'credit', await trainCreditBundle(data, 1, 2));
    await moveAlias(t.app, 'credit', 'production', 1);
    features = featuresOf(data.records[0]);
  });
  afterAll(() => t.close());

  it('adds per-feature contributions whose sum with the baseline and residual is the positive-class probability', async () => {
    const plain = await consumer.post('/models/credit/predict', {
      instances: [features, { ...features, Income: 900 }],
    });
    const res = await consumer.post('/models/credit/predict?explain=true', {
      instances: [features, { ...features, Income: 900 }],
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.explanationReference)).toEqual(Object.keys(features));
    res.body.predictions.forEach((p: any, i: number) => {
      const e = p.explanation;
      expect(e.output).toBe('probability:good');
      expect(e.value).toBeCloseTo(plain.body.predictions[i].probabilities.good, 5);
      expect(Object.keys(e.contributions)).toEqual(Object.keys(features));
      const sum = Object.values(e.contributions as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(e.baseline + sum + e.residual).toBeCloseTo(e.value, 9);
    });
    // A feature equal to its reference value contributes nothing.
    const atReference = await consumer.post('/models/credit/predict?explain=true', {
      features: { ...features, Home: res.body.explanationReference.Home },
    });
    expect(atReference.body.predictions[0].explanation.contributions.Home).toBe(0);
    expect((await consumer.post('/models/credit/predict?explain=maybe', { features })).status).toBe(422);
    expect(
      (
        await consumer.post('/models/credit/predict?explain=true', {
          instances: Array.from({ length: 101 }, () => features),
        })
      ).status,
    ).toBe(413);
  });
});
