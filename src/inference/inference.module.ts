import { Module } from '@nestjs/common';
import { OpenApiOverlay } from '../common/openapi-overlay';
import { RegistryModule } from '../registry';
import { FeedbackService } from './feedback/feedback.service';
import { InferenceMetrics } from './inference-metrics';
import { PredictionLog } from './prediction-log/prediction-log.service';
import { PredictionReader } from './prediction-log/prediction-reader.service';
import { ServedModelDocs } from './protocols/served-model-docs.service';
import { ModelCache } from './serving/model-cache.service';
import { ModelSource } from './serving/model-source';
import { PredictService } from './serving/predict.service';
import { PredictionObservers } from './serving/prediction-observer';
import { RegistryModelSource } from './serving/registry-model-source';

/**
 * Serving: the model cache, predictions and the prediction log, feedback. It reaches the registry
 * only through the ModelSource port (bound here to the registry's service). The HTTP role adds
 * the protocol and feedback controllers; a worker does not import this module. `OpenApiOverlay`
 * (served models' request bodies in the API docs) is what the bootstrap's Swagger setup asks.
 */
@Module({
  imports: [RegistryModule],
  providers: [
    InferenceMetrics,
    ModelCache,
    PredictService,
    PredictionObservers,
    PredictionLog,
    PredictionReader,
    FeedbackService,
    { provide: ModelSource, useClass: RegistryModelSource },
    ServedModelDocs,
    { provide: OpenApiOverlay, useExisting: ServedModelDocs },
  ],
  exports: [
    PredictionObservers,
    PredictionLog,
    PredictionReader,
    ModelSource,
    ModelCache,
    PredictService,
    FeedbackService,
    OpenApiOverlay,
  ],
})
export class InferenceModule {}
