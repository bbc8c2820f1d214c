/** Public surface of the ML library (framework-free: no Nest, TypeORM, pg or Redis). */
export * from './schema';
export * from './errors';
export { initBackend, backendReport, describeBackend, type BackendName, type BackendReport } from './backend';
export { splitIndices, DEFAULT_SPLIT, type SplitFractions, type SplitIndices } from './split';
export { mulberry32, deriveSeed, shuffleInPlace, type Rng } from './random';
export * from './preprocessing';
export * from './metrics';
export * from './profile';
export * from './drift';
export * from './calibration';
export * from './quality';
export {
  fitBundleCalibration,
  type BundleCalibration,
  type EceBeforeAfter,
  type LabelledOutputs,
} from './bundle-calibration';
export * from './hyperparameters';
export { evaluateOutputs, type EvalMetrics } from './evaluate';
export { inferTask, rarerClass, targetTasks, type TargetEncoding } from './target';
export { REFERENCE_BINS, REFERENCE_CATEGORIES, type ReferenceProfile } from './reference-profile';
export {
  BUNDLE_FORMAT_VERSION,
  serializeBundle,
  parseBundle,
  type BundleMeta,
  type BundleSignature,
  type ModelBundle,
} from './bundle';
export {
  Predictor,
  loadBundle,
  type FieldError,
  type PredictOutput,
  type RecordPrediction,
  type Validation,
} from './predictor';
export { trainModel, type TrainInput, type TrainResult, type EpochReport } from './trainer';
export { explainRecords, referenceRecord, type Explanation } from './explain';
