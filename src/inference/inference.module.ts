import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { RegistryModule } from '../registry';
import { FeedbackController } from './feedback/feedback.controller';
import { FeedbackService } from './feedback/feedback.service';
import { PredictController } from './protocols/predict.controller';
import { InferenceMetrics } from './inference-metrics';
import { MlflowController } from './protocols/mlflow.controller';
import { OpenInferenceController } from './protocols/open-inference.controller';
import { ModelCache } from './serving/model-cache.service';
import { ModelSource } from './serving/model-source';
import { PredictService } from './serving/predict.service';
import { PredictionLog } from './prediction-log/prediction-log.service';
import { RegistryModelSource } from './serving/registry-model-source';

/**
 * Serving: predict, schema and feedback endpoints, the model cache and the prediction log. It
 * reaches the registry only through the ModelSource port (bound here to the registry's service).
 * Without HTTP (APP_ROLE=worker) nothing is served, so nothing is registered.
 */
@Module({})
export class InferenceModule {
  static register(config: AppConfig): DynamicModule {
    if (!config.runsHttp) return { module: InferenceModule };
    return {
      module: InferenceModule,
      imports: [RegistryModule],
      controllers: [PredictController, MlflowController, OpenInferenceController, FeedbackController],
      providers: [InferenceMetrics, ModelCache, PredictService, PredictionLog, FeedbackService, { provide: ModelSource, useClass: RegistryModelSource }],
      exports: [PredictionLog, ModelSource],
    };
  }
}
