import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_CONTROLLERS, AuthGuard, AuthModule } from '../auth';
import { DATA_CONTROLLERS, DataModule } from '../data';
import {
  DependencyMonitor,
  HealthController,
  HealthModule,
  OpenInferenceHealthController,
  Readiness,
  ShutdownDrain,
} from '../health';
import { INFERENCE_CONTROLLERS, InferenceModule } from '../inference';
import {
  ALERTS_CONTROLLERS,
  AlertMetrics,
  AlertsModule,
  BucketsModule,
  DASHBOARD_STREAM_CONTROLLERS,
  DashboardStreamModule,
  DASHBOARD_PAGE_CONTROLLERS,
  MetricsController,
  MONITORING_API_CONTROLLERS,
  MonitoringApiModule,
  QUALITY_CONTROLLERS,
  QualityModule,
  ReplicaCountsRecorder,
} from '../monitoring';
import { REGISTRY_CONTROLLERS, RegistryModule } from '../registry';
import { TRAINING_CONTROLLERS, TrainingModule } from '../training';
import { DatasetUsageWiring } from './dataset-usage.wiring';
import { PredictionObserverWiring } from './prediction-observer.wiring';

/**
 * The HTTP role (APP_ROLE=api or all): every feature module, each module's controllers, the
 * global guard that checks every route's access rule, monitoring's buckets plugged into the
 * predict path, and readiness, the
 * background checks of PostgreSQL and Redis, and the drain of a SIGTERM.
 */
@Module({
  imports: [
    AuthModule,
    DataModule,
    RegistryModule,
    TrainingModule,
    InferenceModule,
    BucketsModule,
    HealthModule,
    AlertsModule,
    MonitoringApiModule,
    QualityModule,
    DashboardStreamModule,
  ],
  controllers: [
    ...AUTH_CONTROLLERS,
    ...DATA_CONTROLLERS,
    ...REGISTRY_CONTROLLERS,
    ...TRAINING_CONTROLLERS,
    ...INFERENCE_CONTROLLERS,
    ...ALERTS_CONTROLLERS,
    ...MONITORING_API_CONTROLLERS,
    ...QUALITY_CONTROLLERS,
    ...DASHBOARD_STREAM_CONTROLLERS,
    ...DASHBOARD_PAGE_CONTROLLERS,
    HealthController,
    OpenInferenceHealthController,
    MetricsController,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    DatasetUsageWiring,
    PredictionObserverWiring,
    ShutdownDrain,
    DependencyMonitor,
    Readiness,
    ReplicaCountsRecorder,
    AlertMetrics,
  ],
})
export class HttpRoleModule {}
