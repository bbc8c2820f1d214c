import * as tf from '@tensorflow/tfjs';
import { epochMetrics, evaluateOutputs, predictMatrix } from './evaluate';
import type { Hyperparameters, Task } from './hyperparameters';
import { forward, l2Penalty, weightedLoss } from './model';
import { deriveSeed, mulberry32, shuffleInPlace } from './random';
import type { CellValue } from './schema';
import type { TargetEncoding } from './target';

export interface EpochReport {
  epoch: number;
  /** Mean weighted training loss over the epoch's batches, with the L2 term. */
  loss: number;
  /** Weighted validation loss (class weights from the training counts, no L2 term). */
  valLoss: number;
  valMetrics: Record<string, number>;
}

/** One encoded part of the split: features, targets and row weights, row-major. */
export interface Part {
  x: Float32Array;
  y: Float32Array;
  w: Float32Array;
  labels: CellValue[];
  n: number;
}

export interface FitOptions {
  task: Task;
  target: TargetEncoding;
  hp: Hyperparameters;
  seed: number;
  onEpoch?: (e: EpochReport) => void | Promise<void>;
  shouldStop?: () => boolean;
}

export interface FitOutcome {
  history: EpochReport[];
  bestEpoch: number;
  stopReason: 'maxEpochs' | 'earlyStopping' | 'cancelled';
}

/**
 * Mini-batch Adam on the training part, in our own loop rather than `model.fit`: batch order and
 * dropout masks come from the seeded generator (tfjs shuffles with Math.random), and rows carry
 * class weights. After the loop the weights of the epoch with the lowest validation loss are
 * put back.
 */
export async function fitNetwork(
  model: tf.LayersModel,
  train: Part,
  validation: Part,
  opts: FitOptions,
): Promise<FitOutcome> {
  const { hp, task, target } = opts;
  const width = train.x.length / Math.max(1, train.n);
  const units = train.y.length / Math.max(1, train.n);
  const optimizer = tf.train.adam(hp.learningRate);
  const rng = mulberry32(deriveSeed(opts.seed, 'batches'));
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const snapshot = () => model.getWeights().map((t) => (t.dataSync() as Float32Array).slice());
  const history: EpochReport[] = [];
  let best = { loss: Infinity, epoch: 0, weights: snapshot() };
  let stopReason: FitOutcome['stopReason'] = 'maxEpochs';
  const order = Array.from({ length: train.n }, (_, i) => i);

  for (let epoch = 1; epoch <= hp.epochs; epoch++) {
    shuffleInPlace(order, rng);
    let lossSum = 0;
    for (let start = 0; start < train.n; start += hp.batchSize) {
      const batch = order.slice(start, start + hp.batchSize);
      const { x, y, w } = gather(train, batch, width, units);
      const loss = tf.tidy(() => {
        const xt = tf.tensor2d(x, [batch.length, width]);
        const yt = tf.tensor2d(y, [batch.length, units]);
        const wt = tf.tensor1d(w);
        return optimizer.minimize(
          () =>
            tf.add<tf.Scalar>(
              weightedLoss(task, forward(model, xt, { rate: hp.dropout, rng }), yt, wt),
              l2Penalty(model, hp.l2),
            ),
          true,
          vars,
        )!;
      });
      lossSum += loss.dataSync()[0] * batch.length;
      loss.dispose();
    }
    const valOut = predictMatrix(model, validation.x, validation.n, width);
    const valLoss = tf.tidy(
      () =>
        weightedLoss(
          task,
          tf.tensor2d(valOut, [validation.n, units]),
          tf.tensor2d(validation.y, [validation.n, units]),
          tf.tensor1d(validation.w),
        ).dataSync()[0],
    );
    const valMetrics = epochMetrics(evaluateOutputs(target, validation.labels, valOut, hp.threshold));
    const report: EpochReport = { epoch, loss: lossSum / train.n, valLoss, valMetrics };
    history.push(report);
    if (valLoss < best.loss - 1e-5) best = { loss: valLoss, epoch, weights: snapshot() };
    await opts.onEpoch?.(report);
    // Lets the event loop breathe between epochs (queue lock renewals, health checks).
    await new Promise((resolve) => setImmediate(resolve));
    if (opts.shouldStop?.()) {
      stopReason = 'cancelled';
      break;
    }
    if (epoch - best.epoch > hp.patience) {
      stopReason = 'earlyStopping';
      break;
    }
  }
  optimizer.dispose();
  restore(model, best.weights);
  return { history, bestEpoch: best.epoch, stopReason };
}

function restore(model: tf.LayersModel, weights: Float32Array[]): void {
  const shapes = model.getWeights().map((t) => t.shape);
  const tensors = weights.map((data, i) => tf.tensor(data, shapes[i]));
  model.setWeights(tensors); // assigns copies into the variables
  tensors.forEach((t) => t.dispose());
}

function gather(part: Part, idx: number[], width: number, units: number) {
  const x = new Float32Array(idx.length * width);
  const y = new Float32Array(idx.length * units);
  const w = new Float32Array(idx.length);
  idx.forEach((r, i) => {
    x.set(part.x.subarray(r * width, (r + 1) * width), i * width);
    y.set(part.y.subarray(r * units, (r + 1) * units), i * units);
    w[i] = part.w[r];
  });
  return { x, y, w };
}
