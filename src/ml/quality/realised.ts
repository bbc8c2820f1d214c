/**
 * Realised quality of a window from its labelled predictions (the joined feedback rows, up to a
 * cap), the same figures as the estimates so the two sit side by side. Thin over `metrics.ts`.
 * Regression: `regressionFromSums` there (RMSE, MAE, R² from database sums).
 */
import {
  accuracy,
  confusionMatrix,
  f1,
  multiclassMetrics,
  precision,
  recall,
  rocAuc,
  type Confusion,
} from '../metrics';

type Nums = ArrayLike<number>;

export interface ConfusionFigures {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Accuracy, precision, recall, F1 from confusion counts (NaN where a denominator is 0). */
export function figuresFromConfusion(c: Confusion): ConfusionFigures {
  return { accuracy: accuracy(c), precision: precision(c), recall: recall(c), f1: f1(c) };
}

export interface BinaryRealisedQuality extends ConfusionFigures {
  task: 'binary';
  positiveClass: string;
  n: number;
  confusion: Confusion;
  /** Exact, from the labelled scores (Mann–Whitney, ties ½). */
  rocAuc: number;
}

/** `y`: 1 for the positive class, 0 otherwise; `scores`: raw positive-class probabilities as served. */
export function realisedBinaryQuality(input: {
  y: Nums;
  scores: Nums;
  threshold: number;
  positiveClass: string;
}): BinaryRealisedQuality {
  const confusion = confusionMatrix(input.y, input.scores, input.threshold);
  return {
    task: 'binary',
    positiveClass: input.positiveClass,
    n: input.y.length,
    confusion,
    ...figuresFromConfusion(confusion),
    rocAuc: rocAuc(input.y, input.scores),
  };
}

export interface MulticlassRealisedQuality {
  task: 'multiclass';
  n: number;
  accuracy: number;
  macroF1: number;
  /** Per class, the one-vs-rest ROC AUC of its probability (NaN when the window lacks the class or holds only it). */
  rocAuc: Record<string, number>;
  /** Mean of the finite per-class AUCs. */
  macroRocAuc: number;
}

/** `y`: class indices into `classes`; `probs`: row-major n × k raw probabilities. */
export function realisedMulticlassQuality(y: Nums, probs: Nums, classes: string[]): MulticlassRealisedQuality {
  const k = classes.length;
  const n = y.length;
  const m = multiclassMetrics(y, probs, k);
  const perClass = classes.map((_, c) =>
    rocAuc(
      Float64Array.from({ length: n }, (_, i) => (y[i] === c ? 1 : 0)),
      Float64Array.from({ length: n }, (_, i) => probs[i * k + c]),
    ),
  );
  const finite = perClass.filter(Number.isFinite);
  return {
    task: 'multiclass',
    n,
    accuracy: m.accuracy,
    macroF1: m.macroF1,
    rocAuc: Object.fromEntries(classes.map((c, i) => [c, perClass[i]])),
    macroRocAuc: finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN,
  };
}
