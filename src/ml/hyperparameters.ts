import { MlInputError } from './errors';

export type Task = 'binary' | 'multiclass' | 'regression';
export type ModelFamily = 'logistic' | 'mlp';
export const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression'];
export const MODEL_FAMILIES: readonly ModelFamily[] = ['logistic', 'mlp'];

export interface Hyperparameters {
  /** Upper bound; early stopping usually ends sooner. */
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Hidden layer sizes of the MLP (ignored by `logistic`). */
  hiddenUnits: number[];
  /** Dropout rate after each hidden layer, in [0, 1). */
  dropout: number;
  /** L2 penalty on kernel weights: loss += l2 · Σ w². */
  l2: number;
  /** Epochs without a better validation loss before stopping; the best weights are restored. */
  patience: number;
  /** `balanced`: class c weighs n / (k · n_c), so a rare positive class is not ignored. */
  classWeights: 'balanced' | 'none';
  /** `fixed`: use `threshold`; `maxF1`: the validation threshold with the highest F1 (binary only). */
  thresholdStrategy: 'fixed' | 'maxF1';
  threshold: number;
}

/**
 * Defaults that reach the quality targets on the shipped data in a few seconds on wasm: a small
 * MLP, Adam, early stopping. Balanced class weights shift probabilities towards the rare class,
 * so 0.5 on them already flags it; AUC does not depend on the threshold.
 */
export const DEFAULT_HYPERPARAMETERS: Readonly<Hyperparameters> = Object.freeze({
  epochs: 60,
  batchSize: 128,
  learningRate: 1e-3,
  hiddenUnits: [64, 32],
  dropout: 0.2,
  l2: 0.01,
  patience: 8,
  classWeights: 'balanced',
  thresholdStrategy: 'fixed',
  threshold: 0.5,
});

function check(ok: boolean, field: string, message: string): void {
  if (!ok) throw new MlInputError(`hyperparameters.${field}`, message);
}

const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Defaults merged with `given`, every value checked; throws MlInputError naming the first bad field. */
export function resolveHyperparameters(given: Partial<Hyperparameters> = {}): Hyperparameters {
  const known = new Set(Object.keys(DEFAULT_HYPERPARAMETERS));
  for (const key of Object.keys(given)) check(known.has(key), key, 'unknown hyperparameter');
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const h = {
    ...DEFAULT_HYPERPARAMETERS,
    hiddenUnits: [...DEFAULT_HYPERPARAMETERS.hiddenUnits],
    ...defined,
  };
  check(isInt(h.epochs, 1) && h.epochs <= 10_000, 'epochs', 'must be an integer in [1, 10000]');
  check(isInt(h.batchSize, 1) && h.batchSize <= 65_536, 'batchSize', 'must be an integer in [1, 65536]');
  check(isNum(h.learningRate) && h.learningRate > 0 && h.learningRate <= 10, 'learningRate', 'must be in (0, 10]');
  check(
    Array.isArray(h.hiddenUnits) && h.hiddenUnits.length <= 8 && h.hiddenUnits.every((u) => isInt(u, 1) && u <= 4096),
    'hiddenUnits',
    'must be at most 8 integers in [1, 4096]',
  );
  check(isNum(h.dropout) && h.dropout >= 0 && h.dropout < 1, 'dropout', 'must be in [0, 1)');
  check(isNum(h.l2) && h.l2 >= 0, 'l2', 'must be a finite number >= 0');
  check(isInt(h.patience, 0), 'patience', 'must be an integer >= 0');
  check(h.classWeights === 'balanced' || h.classWeights === 'none', 'classWeights', "must be 'balanced' or 'none'");
  check(
    h.thresholdStrategy === 'fixed' || h.thresholdStrategy === 'maxF1',
    'thresholdStrategy',
    "must be 'fixed' or 'maxF1'",
  );
  check(isNum(h.threshold) && h.threshold > 0 && h.threshold < 1, 'threshold', 'must be in (0, 1)');
  return h;
}
