// Public entry of the inference module: what other modules, the app's roles and the scripts may use.
export { InferenceModule } from './inference.module';
export { INFERENCE_CONTROLLERS } from './inference.controllers';
export { PredictionLog } from './prediction-log/prediction-log.service';
export {
  PredictionReader,
  type LabelledPrediction,
  type LabelSummary,
  type ShadowPair,
  type LoggedAnswer,
  type LoggedPrediction,
  type PredictionCount,
} from './prediction-log/prediction-reader.service';
export {
  DEFAULT_PAGE_SIZE,
  MAX_BUCKETS,
  MAX_PAGE_SIZE,
  MAX_WINDOW_MS,
  type LogWindow,
  type Page,
  type PageRequest,
  type TimeBucket,
} from './prediction-log/log-window';
export { maintainPartitions } from './prediction-log/log-partitions';
export { ModelCache } from './serving/model-cache.service';
export { PredictionObserver, PredictionObservers, type ObservedRequest } from './serving/prediction-observer';
export type { Prediction } from './serving/loaded-model';
export { INFERENCE_ERROR_STATUS, InferenceError, InferenceErrorCode } from './inference.errors';
// The v2 readiness body, shared with the v2 server health routes (src/health).
export { V2ReadyDto } from './protocols/dto/protocols.dto';
