import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config';
import { AliasService } from './alias.service';
import { ArtifactStore } from './artifact-store';
import { RegistryDatasetUsage } from './dataset-usage.checker';
import { MLFLOW_MIRROR_QUEUE } from './mlflow/mirror-job';
import { MirrorQueue } from './mlflow/mirror-queue.service';
import { MlflowClient } from './mlflow/mlflow-client';
import { MlflowMirrorProcessor } from './mlflow/mlflow-mirror.processor';
import { MlflowMirrorService } from './mlflow/mlflow-mirror.service';
import { ModelRegistryService } from './model-registry.service';
import { ModelsController } from './models.controller';
import { PostgresArtifactStore } from './postgres-artifact-store';
import { REGISTRY_ENTITIES } from './registry.entities';
import { RunsController } from './runs.controller';
import { TrackingService } from './tracking.service';

/**
 * The registry's services (ports): TrackingService for training, ModelRegistryService (aliasVersion,
 * bundleOf) for inference, AliasService. Static so other modules can import it; the HTTP
 * controllers and the MLflow mirror processor (APP_ROLE) and the data module's
 * DatasetUsageChecker come with RegistryModule.forRoot(config) in AppModule.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(REGISTRY_ENTITIES),
    BullModule.registerQueue({ name: MLFLOW_MIRROR_QUEUE }),
  ],
  providers: [
    // The seam for Azure Blob: choose the implementation from ARTIFACT_STORE here.
    { provide: ArtifactStore, useClass: PostgresArtifactStore },
    MirrorQueue,
    MlflowClient,
    MlflowMirrorService,
    TrackingService,
    ModelRegistryService,
    AliasService,
  ],
  // MlflowMirrorService only for the processor in RegistryRuntimeModule.
  exports: [TrackingService, ModelRegistryService, AliasService, ArtifactStore, MlflowMirrorService],
})
export class RegistryModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RegistryRuntimeModule,
      imports: [RegistryModule],
      controllers: config.runsHttp ? [RunsController, ModelsController] : [],
      providers: [RegistryDatasetUsage, ...(config.runsWorkers && config.env.MLFLOW_TRACKING_URI ? [MlflowMirrorProcessor] : [])],
    };
  }
}

/** Holder of the role-dependent parts (controllers, processor); see RegistryModule.forRoot. */
@Module({})
export class RegistryRuntimeModule {}
