import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { RegistryModule } from '../registry/registry.module';
import { FeedbackController } from './feedback.controller';
import { FeedbackService } from './feedback.service';
import { InferenceController } from './inference.controller';
import { InferenceMetrics } from './inference-metrics';
import { MlflowController } from './mlflow.controller';
import { OpenInferenceController } from './open-inference.controller';
import { ModelCache } from './model-cache.service';
import { ModelSource } from './model-source';
import { PredictService } from './predict.service';
import { PredictionLog } from './prediction-log.service';
import { RegistryModelSource } from './registry-model-source';

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
      controllers: [InferenceController, MlflowController, OpenInferenceController, FeedbackController],
      providers: [InferenceMetrics, ModelCache, PredictService, PredictionLog, FeedbackService, { provide: ModelSource, useClass: RegistryModelSource }],
      exports: [PredictionLog, ModelSource],
    };
  }
}
