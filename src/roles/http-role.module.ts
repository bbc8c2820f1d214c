import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_CONTROLLERS, AuthGuard, AuthModule } from '../auth';
import { DATA_CONTROLLERS, DataModule } from '../data';
import { DependencyMonitor, HealthController, HealthModule, Readiness, ShutdownDrain } from '../health';
import { INFERENCE_CONTROLLERS, InferenceModule } from '../inference';
import { ALERTS_CONTROLLERS, AlertsModule, MetricsController, ReplicaCountsRecorder } from '../monitoring';
import { REGISTRY_CONTROLLERS, RegistryModule } from '../registry';
import { TRAINING_CONTROLLERS, TrainingModule } from '../training';
import { DatasetUsageWiring } from './dataset-usage.wiring';

/**
 * The HTTP role (APP_ROLE=api or all): every feature module, each module's controllers, the
 * global guard that checks every route's access rule, and readiness, the
 * background checks of PostgreSQL and Redis, and the drain of a SIGTERM.
 */
@Module({
  imports: [AuthModule, DataModule, RegistryModule, TrainingModule, InferenceModule, HealthModule, AlertsModule],
  controllers: [
    ...AUTH_CONTROLLERS,
    ...DATA_CONTROLLERS,
    ...REGISTRY_CONTROLLERS,
    ...TRAINING_CONTROLLERS,
    ...INFERENCE_CONTROLLERS,
    ...ALERTS_CONTROLLERS,
    HealthController,
    MetricsController,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    DatasetUsageWiring,
    ShutdownDrain,
    DependencyMonitor,
    Readiness,
    ReplicaCountsRecorder,
  ],
})
export class HttpRoleModule {}
