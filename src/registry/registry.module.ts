import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AliasService } from './alias.service';
import { ArtifactStore } from './artifact-store';
import { RegistryDatasetUsage } from './dataset-usage.checker';
import { MLFLOW_MIRROR_QUEUE } from './mlflow/mirror.jobs';
import { MirrorProducer } from './mlflow/mirror.producer';
import { MlflowClient } from './mlflow/mlflow-client';
import { MlflowMirrorService } from './mlflow/mlflow-mirror.service';
import { ModelRegistryService } from './model-registry.service';
import { PostgresArtifactStore } from './postgres-artifact-store';
import { REGISTRY_ENTITIES } from './registry.entities';
import { TrackingService } from './tracking.service';

const mirrorQueue = BullModule.registerQueue({ name: MLFLOW_MIRROR_QUEUE });

/**
 * The registry's services (ports): TrackingService for training, ModelRegistryService (aliasVersion,
 * bundleOf) for inference, AliasService, and RegistryDatasetUsage (the data module's usage port,
 * registered by the roles). Controllers and the MLflow mirror processor are added by the roles
 * (src/roles).
 */
@Module({
  imports: [TypeOrmModule.forFeature(REGISTRY_ENTITIES), mirrorQueue],
  providers: [
    // The seam for Azure Blob: choose the implementation from ARTIFACT_STORE here.
    { provide: ArtifactStore, useClass: PostgresArtifactStore },
    MirrorProducer,
    MlflowClient,
    MlflowMirrorService,
    TrackingService,
    ModelRegistryService,
    AliasService,
    RegistryDatasetUsage,
  ],
  // The mirror queue and service too, for the worker role's MirrorProcessor.
  exports: [
    TrackingService,
    ModelRegistryService,
    AliasService,
    ArtifactStore,
    RegistryDatasetUsage,
    MlflowMirrorService,
    mirrorQueue,
  ],
})
export class RegistryModule {}
