import type * as tf from '@tensorflow/tfjs';
import { LoadedModel, type Prediction } from '../../src/inference/serving/loaded-model';
import { Predictor, type BundleMeta, type BundleSignature, type CellValue, type FeatureParams } from '../../src/ml';
import { strict } from './strict';

type Values = Record<string, CellValue>;

/** A credit-like signature: Age required, Income and Home optional, Home with two known categories. */
export const CREDIT: BundleSignature = {
  features: [
    { name: 'Age', type: 'integer', nullable: false },
    { name: 'Income', type: 'number', nullable: true },
    { name: 'Home', type: 'category', nullable: true, categories: ['owner', 'rent'] },
  ],
  target: { name: 'Status', type: 'category', task: 'binary', classes: ['bad', 'good'], positiveClass: 'good' },
};

/** The training median of every numeric feature: the reference value explanations replace by. */
export const MEDIAN = 40;

export interface ScriptedVersion {
  version: number;
  model?: string;
  signature?: BundleSignature;
  /** Added to every record's score, so the answers of two versions tell them apart. */
  bias?: number;
  /** Thrown by every model call (the network failed). */
  fails?: Error;
}

/**
 * A model version with the library's own validation (Predictor.validate over the signature) and
 * an additive, exact score instead of a network: P(positive) = Age/100 + 0.2 for Home=owner + bias,
 * or that as the value for regression. No tfjs model is built (the network is never read).
 */
export function scriptedModel({
  version,
  model = 'credit',
  signature = CREDIT,
  bias = 0,
  fails,
}: ScriptedVersion): LoadedModel {
  const meta = {
    signature,
    preprocessing: preprocessingOf(signature),
    target: signature.target,
    threshold: 0.5,
  } as unknown as BundleMeta;
  const score = (v: Values) => Number(v.Age ?? 0) / 100 + (v.Home === 'owner' ? 0.2 : 0) + bias;
  const predictor = new ScriptedPredictor(meta, (values) => {
    if (fails) throw fails;
    return values.map((v) => answerOf(signature, score(v)));
  });
  // One row per model call at once: batching is LoadedModel's own concern (loaded-model.spec.ts).
  return new LoadedModel(model, version, predictor, { maxRows: 1, waitMs: 0 });
}

class ScriptedPredictor extends Predictor {
  constructor(
    meta: BundleMeta,
    private readonly script: (values: ReadonlyArray<Values>) => Prediction[],
  ) {
    super(meta, strict<tf.LayersModel>('tf model'));
  }

  override predictValues(values: ReadonlyArray<Values>): Prediction[] {
    return this.script(values);
  }
}

function answerOf({ target }: BundleSignature, p: number): Prediction {
  if (target.task === 'regression') return { ok: true, value: p };
  const positive = target.positiveClass!;
  const negative = target.classes!.find((c) => c !== positive)!;
  return { ok: true, label: p >= 0.5 ? positive : negative, probabilities: { [negative]: 1 - p, [positive]: p } };
}

/** Numbers by their median (MEDIAN), categories with the signature's categories as known slots. */
function preprocessingOf(signature: BundleSignature): { features: FeatureParams[]; featureNames: string[] } {
  const features = signature.features.map((f): FeatureParams =>
    f.type === 'category'
      ? { name: f.name, kind: 'category', categories: f.categories ?? [], missingSlot: f.nullable }
      : { name: f.name, kind: 'numeric', log: false, median: MEDIAN, mean: MEDIAN, std: 1, indicator: false },
  );
  return { features, featureNames: features.map((f) => f.name) };
}
