import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend';
import { predictMatrix } from './evaluate';
import type { Task } from './hyperparameters';
import { buildModel } from './model';
import { mulberry32 } from './random';

const INPUT = 12;

function matrix(rows: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: rows * INPUT }, () => rng() * 4 - 2);
}

/** What predictMatrix must equal: the layers executor's own answer. */
function viaPredict(model: tf.LayersModel, x: Float32Array, rows: number): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor2d(x, [rows, INPUT])) as tf.Tensor).dataSync() as Float32Array);
}

describe('predictMatrix', () => {
  beforeAll(() => initBackend());

  const cases: [Task, 'mlp' | 'logistic', number][] = [
    ['binary', 'mlp', 1],
    ['binary', 'logistic', 1],
    ['multiclass', 'mlp', 4],
    ['regression', 'mlp', 1],
  ];
  it.each(cases)(
    "gives exactly model.predict's outputs for a %s %s, from 1 row to past its 32-row batches",
    (task, family, outputUnits) => {
      const model = buildModel({ inputDim: INPUT, outputUnits, task, family, hiddenUnits: [16, 8] }, 7);
      const tensorsBefore = tf.memory().numTensors;
      for (const rows of [1, 5, 32, 33, 100]) {
        const x = matrix(rows, rows);
        const out = predictMatrix(model, x, rows, INPUT);
        expect(out).toHaveLength(rows * outputUnits);
        expect(Array.from(out)).toEqual(Array.from(viaPredict(model, x, rows)));
      }
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      model.dispose();
    },
  );

  it('runs any other model through model.predict', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 6, inputShape: [INPUT], activation: 'relu' }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const x = matrix(9, 3);
    expect(Array.from(predictMatrix(model, x, 9, INPUT))).toEqual(Array.from(viaPredict(model, x, 9)));
    model.dispose();
  });

  it('answers no rows with no outputs', () => {
    const model = buildModel(
      { inputDim: INPUT, outputUnits: 1, task: 'binary', family: 'logistic', hiddenUnits: [] },
      1,
    );
    expect(predictMatrix(model, new Float32Array(0), 0, INPUT)).toHaveLength(0);
    model.dispose();
  });
});
