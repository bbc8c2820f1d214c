import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry';
import { FeedbackService } from './feedback/feedback.service';
import { InferenceMetrics } from './inference-metrics';
import { PredictionLog } from './prediction-log/prediction-log.service';
import { PredictionReader } from './prediction-log/prediction-reader.service';
import { ModelCache } from './serving/model-cache.service';
import { ModelSource } from './serving/model-source';
import { PredictService } from './serving/predict.service';
import { RegistryModelSource } from './serving/registry-model-source';

/**
 * Serving: the model cache, predictions and the prediction log, feedback. It reaches the registry
 * only through the ModelSource port (bound here to the registry's service). The HTTP role adds
 * the protocol and feedback controllers; a worker does not import this module.
 */
@Module({
  imports: [RegistryModule],
  providers: [
    InferenceMetrics,
    ModelCache,
    PredictService,
    PredictionLog,
    PredictionReader,
    FeedbackService,
    { provide: ModelSource, useClass: RegistryModelSource },
  ],
  exports: [PredictionLog, PredictionReader, ModelSource, ModelCache, PredictService, FeedbackService],
})
export class InferenceModule {}
