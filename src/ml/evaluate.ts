import * as tf from '@tensorflow/tfjs';
import {
  binaryMetrics,
  multiclassMetrics,
  regressionMetrics,
  type BinaryMetrics,
  type MulticlassMetrics,
  type RegressionMetrics,
} from './metrics';
import type { CellValue } from './schema';
import type { TargetEncoding } from './target';

/** Held-out metrics of a task; a binary one names the positive class its precision, recall and F1 are of. */
export type EvalMetrics =
  | ({ task: 'binary'; positiveClass: string } & BinaryMetrics)
  | ({ task: 'multiclass' } & MulticlassMetrics)
  | ({ task: 'regression' } & RegressionMetrics);

/**
 * The model's raw outputs for an encoded matrix (n × units), tensors freed. A stack of Dense
 * layers (what `buildModel` makes) runs each layer's own `call`, the same kernels `model.predict`
 * runs, without the executor around them: its input checks, feed dictionary and 32-row batches
 * are a large share of a small prediction's model time. Any other model goes through `predict`.
 */
export function predictMatrix(model: tf.LayersModel, x: Float32Array, rows: number, cols: number): Float32Array {
  if (rows === 0) return new Float32Array(0);
  return tf.tidy(() => {
    const input = tf.tensor2d(x, [rows, cols]);
    const out = isDenseStack(model)
      ? model.layers.reduce<tf.Tensor>((h, layer) => layer.call(h, {}) as tf.Tensor, input)
      : (model.predict(input) as tf.Tensor);
    return out.dataSync() as Float32Array;
  });
}

function isDenseStack(model: tf.LayersModel): boolean {
  return model instanceof tf.Sequential && model.layers.every((l) => l.getClassName() === 'Dense');
}

/** Regression outputs back in target units. */
export function unscale(t: TargetEncoding, out: ArrayLike<number>): Float64Array {
  const s = t.scaling ?? { mean: 0, std: 1 };
  return Float64Array.from(out, (v) => v * s.std + s.mean);
}

/**
 * Metrics of raw network outputs against raw labels (class strings / numbers), so training,
 * the test report and live monitoring compute them the same way.
 */
export function evaluateOutputs(
  t: TargetEncoding,
  labels: CellValue[],
  out: ArrayLike<number>,
  threshold: number,
): EvalMetrics {
  if (t.task === 'regression') return { task: 'regression', ...regressionMetrics(labels as number[], unscale(t, out)) };
  if (t.task === 'binary') {
    const y = labels.map((v) => (String(v) === t.positiveClass ? 1 : 0));
    return { task: 'binary', positiveClass: t.positiveClass!, ...binaryMetrics(y, out, threshold) };
  }
  const y = labels.map((v) => t.classes!.indexOf(String(v)));
  return { task: 'multiclass', ...multiclassMetrics(y, out, t.classes!.length) };
}

/** The handful of numbers reported per epoch. */
export function epochMetrics(m: EvalMetrics): Record<string, number> {
  switch (m.task) {
    case 'binary':
      return { rocAuc: m.rocAuc, prAuc: m.prAuc, logLoss: m.logLoss };
    case 'multiclass':
      return { accuracy: m.accuracy, macroF1: m.macroF1, logLoss: m.logLoss };
    case 'regression':
      return { rmse: m.rmse, mae: m.mae, r2: m.r2 };
  }
}
