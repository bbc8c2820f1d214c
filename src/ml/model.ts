import * as tf from '@tensorflow/tfjs';
import type { ModelFamily, Task } from './hyperparameters';
import { deriveSeed, type Rng } from './random';

export interface ModelShape {
  inputDim: number;
  /** 1 for binary (sigmoid) and regression (linear), k for multiclass (softmax). */
  outputUnits: number;
  task: Task;
  family: ModelFamily;
  hiddenUnits: number[];
}

/** Same seed → same initial weights: every kernel initializer gets its own derived seed. */
export function buildModel(shape: ModelShape, seed: number): tf.Sequential {
  const hidden = shape.family === 'mlp' ? shape.hiddenUnits : [];
  const model = tf.sequential();
  hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: 'relu',
        inputShape: i === 0 ? [shape.inputDim] : undefined,
        kernelInitializer: tf.initializers.heNormal({ seed: deriveSeed(seed, `kernel${i}`) }),
        biasInitializer: 'zeros',
      }),
    );
  });
  const activation = shape.task === 'binary' ? 'sigmoid' : shape.task === 'multiclass' ? 'softmax' : 'linear';
  model.add(
    tf.layers.dense({
      units: shape.outputUnits,
      activation,
      inputShape: hidden.length === 0 ? [shape.inputDim] : undefined,
      kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'output') }),
      biasInitializer: 'zeros',
    }),
  );
  return model;
}

/**
 * Forward pass. With `dropout`, applies inverted dropout after each hidden layer using masks
 * drawn from our seeded generator (tfjs' Dropout layer is either unseeded or, when seeded,
 * repeats the same mask every batch). Serving uses `model.predict`, where dropout is off.
 */
export function forward(model: tf.LayersModel, x: tf.Tensor2D, dropout?: { rate: number; rng: Rng }): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  const layers = model.layers;
  layers.forEach((layer, i) => {
    h = layer.apply(h) as tf.Tensor2D;
    if (dropout && dropout.rate > 0 && i < layers.length - 1) {
      const [rows, cols] = h.shape;
      const keep = 1 - dropout.rate;
      const mask = new Float32Array(rows * cols);
      for (let k = 0; k < mask.length; k++) mask[k] = dropout.rng() < keep ? 1 / keep : 0;
      h = tf.mul(h, tf.tensor2d(mask, [rows, cols]));
    }
  });
  return h;
}

const EPS = 1e-7;

/**
 * Mean of w_i · loss_i over the batch. Binary: cross-entropy of the positive probability;
 * multiclass: categorical cross-entropy (y one-hot); regression: squared error. Probabilities are
 * clipped to [ε, 1 − ε] like Keras, so a saturated output keeps a finite loss and gradient.
 */
export function weightedLoss(task: Task, out: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor1D): tf.Scalar {
  let perRow: tf.Tensor1D;
  if (task === 'regression') {
    perRow = tf.sum<tf.Tensor1D>(tf.squaredDifference(out, y), 1);
  } else if (task === 'binary') {
    const p = tf.clipByValue(out, EPS, 1 - EPS);
    const ll = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))));
    perRow = tf.neg(tf.sum(ll, 1)) as tf.Tensor1D;
  } else {
    perRow = tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(out, EPS, 1 - EPS))), 1)) as tf.Tensor1D;
  }
  return tf.mean(tf.mul(perRow, w));
}

/** l2 · Σ w² over the kernels (biases are not penalised). */
export function l2Penalty(model: tf.LayersModel, l2: number): tf.Scalar {
  if (l2 === 0) return tf.scalar(0);
  const sums = model.layers.map((layer) => tf.sum(tf.square(layer.getWeights()[0])));
  return tf.mul(l2, tf.addN(sums));
}
