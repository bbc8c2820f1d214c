import { initBackend } from './backend';
import { BUNDLE_FORMAT_VERSION, serializeBundle, type BundleMeta } from './bundle';
import { fitBundleCalibration, type BundleCalibration } from './bundle-calibration';
import { MlInputError } from './errors';
import { evaluateOutputs, predictMatrix, type EvalMetrics } from './evaluate';
import { fitNetwork, type EpochReport, type Part } from './fit-loop';
import {
  MODEL_FAMILIES,
  resolveHyperparameters,
  TASKS,
  type Hyperparameters,
  type ModelFamily,
  type Task,
} from './hyperparameters';
import { bestF1Threshold } from './metrics';
import { buildModel } from './model';
import { Predictor } from './predictor';
import { fitPreprocessing, outputWidth, transform, type PreprocessingOptions } from './preprocessing';
import { buildReferenceProfile } from './reference-profile';
import type { CellValue, DatasetSchema } from './schema';
import { DEFAULT_SPLIT, splitIndices, type SplitFractions } from './split';
import { classWeights, encodeTarget, fitTarget, outputUnits } from './target';

export type { EpochReport };

export interface TrainInput {
  records: ReadonlyArray<Record<string, CellValue>>;
  schema: DatasetSchema;
  target: string;
  task: Task;
  family: ModelFamily;
  hyperparameters?: Partial<Hyperparameters>;
  seed: number;
  positiveClass?: string;
  /** Feature columns; default: every column but the target. */
  features?: string[];
  split?: SplitFractions;
  preprocessing?: PreprocessingOptions;
  onEpoch?: (e: EpochReport) => void | Promise<void>;
  /** Polled after every epoch; true ends training early (best weights kept, stopReason 'cancelled'). */
  shouldStop?: () => boolean;
}

export interface TrainResult {
  bundle: Buffer;
  /** The trained model, ready to predict; the caller disposes it. */
  predictor: Predictor;
  metrics: EvalMetrics;
  validationMetrics: EvalMetrics;
  history: EpochReport[];
  bestEpoch: number;
  stopReason: 'maxEpochs' | 'earlyStopping' | 'cancelled';
  hyperparameters: Hyperparameters;
  threshold: number | null;
  /** Calibration maps fitted on the validation split, with ECE before/after (null for regression). */
  calibration: BundleCalibration | null;
  timings: { prepareMs: number; trainMs: number; evaluateMs: number; totalMs: number };
  backend: string;
  rowCounts: {
    total: number;
    droppedMissingTarget: number;
    train: number;
    validation: number;
    test: number;
  };
}

function validateInput(input: TrainInput): void {
  if (!TASKS.includes(input.task)) throw new MlInputError('task', `must be one of ${TASKS.join(', ')}`);
  if (!MODEL_FAMILIES.includes(input.family))
    throw new MlInputError('family', `must be one of ${MODEL_FAMILIES.join(', ')}`);
  if (!Number.isSafeInteger(input.seed)) throw new MlInputError('seed', 'must be an integer');
  if (!input.schema.columns.some((c) => c.name === input.target))
    throw new MlInputError('target', `no column named ${input.target}`);
  for (const f of input.features ?? []) {
    if (f === input.target) throw new MlInputError('features', 'the target cannot be a feature');
    if (!input.schema.columns.some((c) => c.name === f)) throw new MlInputError('features', `no column named ${f}`);
  }
}

/**
 * Trains and evaluates one model: split (seeded, stratified) → fit preprocessing on the training
 * part → Adam with weighted loss, per-epoch validation and early stopping (best weights restored)
 * → threshold → calibration map (validation) → test metrics → bundle. Same input and seed on the
 * same backend → same result.
 */
export async function trainModel(input: TrainInput): Promise<TrainResult> {
  const t0 = performance.now();
  validateInput(input);
  const hp = resolveHyperparameters(input.hyperparameters);
  const backend = await initBackend();
  const targetCol = input.schema.columns.find((c) => c.name === input.target)!;
  const featureCols = input.schema.columns.filter((c) =>
    input.features ? input.features.includes(c.name) : c.name !== input.target,
  );
  if (!featureCols.some((c) => c.type !== 'text'))
    throw new MlInputError('features', 'no usable (non-text) feature column');

  const rows = input.records.filter((r) => Object.hasOwn(r, input.target) && r[input.target] !== null);
  const labelsOf = (idx: number[]) => idx.map((i) => rows[i][input.target]!);
  const stratify = input.task === 'regression' ? undefined : rows.map((r) => String(r[input.target]));
  const parts = splitIndices(rows.length, input.seed, input.split ?? DEFAULT_SPLIT, stratify);
  if (parts.train.length < 2 || parts.validation.length < 1 || parts.test.length < 1) {
    throw new MlInputError('records', `too few rows with a target (${rows.length}) to split`);
  }
  const target = fitTarget(targetCol, input.task, labelsOf(parts.train), input.positiveClass);
  const trainRecords = parts.train.map((i) => rows[i]);
  const prep = fitPreprocessing(trainRecords, featureCols, input.preprocessing);
  const width = outputWidth(prep);
  const trainLabels = labelsOf(parts.train);
  const make = (idx: number[]): Part => {
    const labels = labelsOf(idx);
    // Class weights come from the training counts, so validation loss measures the same objective.
    const w = classWeights(target, labels, hp.classWeights, trainLabels);
    return {
      x: transform(
        prep,
        idx.map((i) => rows[i]),
      ),
      y: encodeTarget(target, labels),
      w,
      labels,
      n: idx.length,
    };
  };
  const train = make(parts.train);
  const validation = make(parts.validation);
  const test = make(parts.test);
  const t1 = performance.now();

  const units = outputUnits(target);
  const model = buildModel(
    {
      inputDim: width,
      outputUnits: units,
      task: input.task,
      family: input.family,
      hiddenUnits: hp.hiddenUnits,
    },
    input.seed,
  );
  const { history, bestEpoch, stopReason } = await fitNetwork(model, train, validation, {
    task: input.task,
    target,
    hp,
    seed: input.seed,
    onEpoch: input.onEpoch,
    shouldStop: input.shouldStop,
  });
  const t2 = performance.now();

  const valOut = predictMatrix(model, validation.x, validation.n, width);
  const threshold =
    input.task !== 'binary'
      ? null
      : hp.thresholdStrategy === 'maxF1'
        ? bestF1Threshold(
            validation.labels.map((v) => (String(v) === target.positiveClass ? 1 : 0)),
            valOut,
          )
        : hp.threshold;
  const validationMetrics = evaluateOutputs(target, validation.labels, valOut, threshold ?? 0.5);
  const testOut = predictMatrix(model, test.x, test.n, width);
  const metrics = evaluateOutputs(target, test.labels, testOut, threshold ?? 0.5);
  const calibration = fitBundleCalibration(
    target,
    { labels: validation.labels, out: valOut },
    { labels: test.labels, out: testOut },
  );
  const positiveOut = input.task === 'multiclass' ? [] : testOut;
  const predictedClasses = input.task === 'multiclass' ? argmaxClasses(testOut, target.classes!) : undefined;
  const meta: BundleMeta = {
    formatVersion: BUNDLE_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    family: input.family,
    hyperparameters: hp,
    seed: input.seed,
    backend,
    signature: {
      features: featureCols.map((c) => ({ ...c })),
      target: {
        name: target.name,
        type: targetCol.type,
        task: input.task,
        classes: target.classes,
        positiveClass: target.positiveClass,
      },
    },
    preprocessing: prep,
    target,
    threshold,
    metrics: { test: metrics, validation: validationMetrics },
    referenceProfile: buildReferenceProfile(
      featureCols,
      trainRecords,
      positiveOut,
      input.task === 'binary',
      predictedClasses,
    ),
    inputExample: Object.fromEntries(featureCols.map((c) => [c.name, trainRecords[0][c.name] ?? null])),
    calibration,
  };
  const bundle = await serializeBundle(model, meta);
  const t3 = performance.now();
  return {
    bundle,
    predictor: new Predictor(meta, model),
    metrics,
    validationMetrics,
    history,
    bestEpoch,
    stopReason,
    hyperparameters: hp,
    threshold,
    calibration,
    timings: { prepareMs: t1 - t0, trainMs: t2 - t1, evaluateMs: t3 - t2, totalMs: t3 - t0 },
    backend,
    rowCounts: {
      total: input.records.length,
      droppedMissingTarget: input.records.length - rows.length,
      train: train.n,
      validation: validation.n,
      test: test.n,
    },
  };
}

/** The predicted class of each row of a multiclass output matrix (rows × classes): its most probable. */
function argmaxClasses(out: ArrayLike<number>, classes: readonly string[]): string[] {
  const k = classes.length;
  const labels: string[] = [];
  for (let r = 0; r + k <= out.length; r += k) {
    let best = 0;
    for (let c = 1; c < k; c++) if (out[r + c] > out[r + best]) best = c;
    labels.push(classes[best]);
  }
  return labels;
}
