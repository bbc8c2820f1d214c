import * as tf from '@tensorflow/tfjs';
import { checkBundleCalibration, type BundleCalibration } from './bundle-calibration';
import { BundleFormatError } from './errors';
import type { EvalMetrics } from './evaluate';
import type { Hyperparameters, ModelFamily, Task } from './hyperparameters';
import type { PreprocessingParams } from './preprocessing';
import type { ReferenceProfile } from './reference-profile';
import type { CellValue, ColumnSpec, ColumnType } from './schema';
import type { TargetEncoding } from './target';

export const BUNDLE_FORMAT_VERSION = 1;

/** What a caller must send (features) and what the model answers (target). */
export interface BundleSignature {
  features: ColumnSpec[];
  target: {
    name: string;
    type: ColumnType;
    task: Task;
    classes?: string[];
    positiveClass?: string;
  };
}

/** Everything in a bundle except the network itself. */
export interface BundleMeta {
  formatVersion: number;
  createdAt: string;
  family: ModelFamily;
  hyperparameters: Hyperparameters;
  seed: number;
  /** Backend the model was trained on (results are reproducible per backend). */
  backend: string;
  signature: BundleSignature;
  preprocessing: PreprocessingParams;
  target: TargetEncoding;
  /** Decision threshold on the positive-class probability (binary only, else null). */
  threshold: number | null;
  metrics: { test: EvalMetrics; validation: EvalMetrics };
  referenceProfile: ReferenceProfile;
  inputExample: Record<string, CellValue>;
  /**
   * Calibration maps fitted on the validation split, for monitoring's estimates (served
   * probabilities stay raw). Absent from bundles made before it existed, null for regression:
   * an optional field, so the format version stays 1 and older bundles load and serve unchanged.
   */
  calibration?: BundleCalibration | null;
}

export interface ModelBundle extends BundleMeta {
  model: { modelTopology: object; weightSpecs: tf.io.WeightsManifestEntry[]; weightData: string };
}

/** The model's topology and weights, as tfjs would write them to files, captured in memory. */
export async function captureModel(model: tf.LayersModel): Promise<ModelBundle['model']> {
  let captured: ModelBundle['model'] | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const buffers = data === undefined ? [] : Array.isArray(data) ? data : [data];
      captured = {
        modelTopology: artifacts.modelTopology as object,
        weightSpecs: artifacts.weightSpecs ?? [],
        weightData: Buffer.concat(buffers.map((b) => Buffer.from(b))).toString('base64'),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new BundleFormatError('the model could not be captured');
  return captured;
}

/** The bundle as UTF-8 JSON: one self-describing artifact, loadable with nothing else. */
export async function serializeBundle(model: tf.LayersModel, meta: BundleMeta): Promise<Buffer> {
  const bundle: ModelBundle = { ...meta, model: await captureModel(model) };
  return Buffer.from(JSON.stringify(bundle), 'utf8');
}

/** Parses and checks a bundle; the network is not built here (see `loadBundle`). */
export function parseBundle(buffer: Buffer | string): ModelBundle {
  let bundle: ModelBundle;
  try {
    bundle = JSON.parse(typeof buffer === 'string' ? buffer : buffer.toString('utf8')) as ModelBundle;
  } catch {
    throw new BundleFormatError('the bundle is not valid JSON');
  }
  if (bundle === null || typeof bundle !== 'object') throw new BundleFormatError('the bundle is not an object');
  if (bundle.formatVersion !== BUNDLE_FORMAT_VERSION) {
    throw new BundleFormatError(`unsupported bundle format version ${String(bundle.formatVersion)}`);
  }
  if (
    !bundle.model?.modelTopology ||
    !Array.isArray(bundle.model.weightSpecs) ||
    typeof bundle.model.weightData !== 'string'
  ) {
    throw new BundleFormatError('the bundle holds no model');
  }
  if (!bundle.signature?.features || !bundle.preprocessing?.features || !bundle.target) {
    throw new BundleFormatError('the bundle holds no signature or preprocessing');
  }
  checkBundleCalibration(bundle.calibration, bundle.target);
  return bundle;
}

/** Rebuilds the tfjs model from a bundle's topology and weights (bit-exact). */
export async function modelFromBundle(bundle: ModelBundle): Promise<tf.LayersModel> {
  const bytes = Buffer.from(bundle.model.weightData, 'base64');
  // A copy into a fresh ArrayBuffer: Node may hand out a slice of a shared pool.
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: bundle.model.modelTopology,
      weightSpecs: bundle.model.weightSpecs,
      weightData,
    }),
  );
}
