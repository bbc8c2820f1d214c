import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend';
import { captureModel, modelFromBundle, parseBundle } from './bundle';
import { MlInputError } from './errors';
import { loadBundle } from './predictor';
import { mulberry32 } from './random';
import type { CellValue, DatasetSchema } from './schema';
import { trainModel, type TrainInput } from './trainer';

// Small synthetic problem on the cpu backend (no files read): y is "yes" when x + bonus(c) > 0.
const schema: DatasetSchema = {
  columns: [
    { name: 'x', type: 'number', nullable: true },
    { name: 'c', type: 'category', nullable: false },
    { name: 'flag', type: 'boolean', nullable: false },
    { name: 'y', type: 'category', nullable: false },
  ],
};
const rng = mulberry32(1);
const records: Record<string, CellValue>[] = Array.from({ length: 300 }, (_, i) => {
  const x = rng() * 4 - 2;
  const c = ['p', 'q', 'r'][i % 3];
  const y = x + (c === 'p' ? 1 : c === 'q' ? 0 : -1) + (rng() - 0.5) > 0 ? 'yes' : 'no';
  return { x: i % 25 === 0 ? null : x, c, flag: i % 2 === 0, y };
});
const base: TrainInput = {
  records,
  schema,
  target: 'y',
  task: 'binary',
  family: 'mlp',
  seed: 3,
  hyperparameters: { epochs: 8, hiddenUnits: [8], batchSize: 32, learningRate: 0.01 },
};

beforeAll(async () => {
  await initBackend('cpu');
});

describe('trainModel', () => {
  it('learns, and the same seed gives the same metrics and bundle weights', async () => {
    const epochs: number[] = [];
    const a = await trainModel({ ...base, onEpoch: (e) => void epochs.push(e.epoch) });
    const b = await trainModel(base);
    expect(a.backend).toBe('cpu');
    expect(a.metrics.task === 'binary' && a.metrics.rocAuc).toBeGreaterThan(0.8);
    expect(b.metrics).toEqual(a.metrics);
    expect(JSON.parse(b.bundle.toString()).model.weightData).toBe(JSON.parse(a.bundle.toString()).model.weightData);
    expect(epochs).toEqual(a.history.map((h) => h.epoch));
    expect(a.rowCounts).toMatchObject({ total: 300, train: 210, validation: 30, test: 60 });
    a.predictor.dispose();
    b.predictor.dispose();
  });

  it('round-trips the bundle: same predictions, validation errors, unknown categories', async () => {
    const trained = await trainModel({
      ...base,
      hyperparameters: { ...base.hyperparameters, epochs: 2 },
    });
    const loaded = await loadBundle(trained.bundle);
    const requests: unknown[] = [
      { x: 0.5, c: 'q', flag: true },
      { flag: false, c: 'zzz', x: -1 },
      { x: 'NaN', c: 'p', flag: 1, extra: 2 },
      JSON.parse('{"x": null, "c": "p", "flag": true, "__proto__": {"polluted": 1}}'),
      'not an object',
    ];
    const out = loaded.predict(requests);
    expect(out).toEqual(trained.predictor.predict(requests));
    expect(out.unknownCategories).toEqual({ c: 1 });
    expect(out.results[0]).toMatchObject({ ok: true });
    const r0 = out.results[0] as { probabilities: Record<string, number>; label: string };
    expect(r0.probabilities.yes + r0.probabilities.no).toBeCloseTo(1, 6);
    expect(out.results[2]).toEqual({
      ok: false,
      errors: [
        { field: 'extra', code: 'unknown_feature', message: 'not a feature of this model' },
        { field: 'x', code: 'invalid', message: 'expected a number, got a string' },
        { field: 'flag', code: 'invalid', message: 'expected a boolean, got a number' },
      ],
    });
    expect(out.results[3]).toMatchObject({
      ok: false,
      errors: [{ field: '__proto__', code: 'unknown_feature' }],
    });
    expect(out.results[4]).toMatchObject({ ok: false, errors: [{ code: 'not_an_object' }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    trained.predictor.dispose();
    loaded.dispose();
  });

  it('restores the weights bit for bit from a bundle', async () => {
    const trained = await trainModel({
      ...base,
      hyperparameters: { ...base.hyperparameters, epochs: 1 },
    });
    const bundle = parseBundle(trained.bundle);
    const model = await modelFromBundle(bundle);
    const saved = await captureModel(model);
    expect(saved.weightData).toBe(bundle.model.weightData);
    expect(saved.weightSpecs).toEqual(bundle.model.weightSpecs);
    model.dispose();
    trained.predictor.dispose();
  });

  it('leaves no tensors behind once the predictor is disposed', async () => {
    const before = tf.memory().numTensors;
    const r = await trainModel({
      ...base,
      hyperparameters: { ...base.hyperparameters, epochs: 3 },
    });
    r.predictor.predict([{ x: 1, c: 'p', flag: true }]);
    r.predictor.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('can pick the threshold with the best validation F1 and records it in the bundle', async () => {
    const r = await trainModel({
      ...base,
      hyperparameters: { ...base.hyperparameters, epochs: 3, thresholdStrategy: 'maxF1' },
    });
    expect(r.threshold).not.toBe(0.5);
    expect(r.metrics.task === 'binary' && r.metrics.threshold).toBe(r.threshold);
    expect(parseBundle(r.bundle).threshold).toBe(r.threshold);
    r.predictor.dispose();
  });

  it('stores a calibration map fitted on the validation split, with ECE before and after', async () => {
    const r = await trainModel(base);
    const stored = parseBundle(r.bundle).calibration!;
    expect(stored).toEqual(r.calibration);
    expect(stored).toMatchObject({ method: 'platt', rows: 30, maps: [{ class: 'yes' }], ece: { bins: 15 } });
    for (const split of ['validation', 'test'] as const) {
      expect(stored.ece[split].before).toBeGreaterThanOrEqual(0);
      expect(stored.ece[split].after).toBeGreaterThanOrEqual(0);
    }
    // Fitted in-sample: the validation ECE does not rise.
    expect(stored.ece.validation.after).toBeLessThanOrEqual(stored.ece.validation.before);
    r.predictor.dispose();
  });

  it('loads and serves a bundle made before calibration existed, with the same answers', async () => {
    const r = await trainModel({ ...base, hyperparameters: { ...base.hyperparameters, epochs: 2 } });
    const old = JSON.parse(r.bundle.toString()) as Record<string, unknown>;
    delete old.calibration;
    const loaded = await loadBundle(Buffer.from(JSON.stringify(old)));
    const request = [{ x: 0.3, c: 'r', flag: false }];
    expect(loaded.meta.calibration).toBeUndefined();
    expect(loaded.predict(request)).toEqual(r.predictor.predict(request));
    loaded.dispose();
    r.predictor.dispose();
  });

  it('stops when asked, keeping the best weights', async () => {
    const r = await trainModel({ ...base, shouldStop: () => true });
    expect(r.stopReason).toBe('cancelled');
    expect(r.history).toHaveLength(1);
    r.predictor.dispose();
  });

  it('trains multiclass and regression targets', async () => {
    const multi = await trainModel({
      ...base,
      target: 'c',
      task: 'multiclass',
      features: ['x', 'y'],
    });
    expect(multi.metrics.task).toBe('multiclass');
    expect(multi.calibration?.maps.map((m) => m.class)).toEqual(['p', 'q', 'r']);
    expect(multi.calibration?.ece.of).toBe('topLabel');
    const p = multi.predictor.predict([{ x: 1, y: 'yes' }]).results[0] as {
      label: string;
      probabilities: Record<string, number>;
    };
    expect(Object.keys(p.probabilities)).toEqual(['p', 'q', 'r']);
    expect(p.probabilities.p + p.probabilities.q + p.probabilities.r).toBeCloseTo(1, 5);
    // The reference of its prediction drift: the test part's predicted classes, as the predictor labels them.
    const predicted = multi.predictor.meta.referenceProfile.predictedClasses!;
    expect(predicted).toMatchObject({ kind: 'category', missing: 0, other: 0 });
    expect(predicted.count).toBe(multi.metrics.task === 'multiclass' && multi.metrics.n);
    expect(predicted.top.every((t) => ['p', 'q', 'r'].includes(t.value))).toBe(true);
    multi.predictor.dispose();

    // x ≈ 2·flag − 1 + noise: a linear model should explain most of the variance.
    const rows = records.map((r, i) => ({ ...r, x: (r.flag ? 1 : -1) + ((i % 7) - 3) * 0.05 }));
    const reg = await trainModel({
      ...base,
      records: rows,
      target: 'x',
      task: 'regression',
      family: 'logistic',
      features: ['flag'],
      hyperparameters: { epochs: 40, learningRate: 0.05 },
    });
    expect(reg.metrics.task === 'regression' && reg.metrics.r2).toBeGreaterThan(0.9);
    expect(reg.calibration).toBeNull();
    const v = reg.predictor.predict([{ flag: true }]).results[0] as { value: number };
    expect(v.value).toBeCloseTo(1, 1);
    reg.predictor.dispose();
  });

  it.each([
    ['a missing target column', { target: 'nope' }, 'target'],
    ['an unknown family', { family: 'forest' }, 'family'],
    ['zero epochs', { hyperparameters: { epochs: 0 } }, 'hyperparameters.epochs'],
    ['a target with one class', { records: records.map((r) => ({ ...r, y: 'yes' })) }, 'target'],
    ['a positive class that does not occur', { positiveClass: 'maybe' }, 'positiveClass'],
  ])('refuses %s', async (_name, change, field) => {
    await expect(trainModel({ ...base, ...(change as Partial<TrainInput>) })).rejects.toMatchObject({
      field,
      name: MlInputError.name,
    });
  });
});
