import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DataModule } from '../data';
import { HealthModule, WorkerHeartbeat } from '../health';
import {
  AlertEvaluationProcessor,
  AlertsModule,
  AlertWebhooksProcessor,
  MonitoringWindowsProcessor,
  QueueMetrics,
  WindowsModule,
  WorkerMetricsServer,
  MonitoringQualityProcessor,
  QualityModule,
} from '../monitoring';
import { MirrorProcessor, RegistryModule } from '../registry';
import { TrainingModule, TrainingProcessor } from '../training';
import { DatasetUsageWiring } from './dataset-usage.wiring';

/**
 * The worker role (APP_ROLE=worker or all): the modules whose queues it consumes, one processor
 * per queue (which also starts that queue's schedules), the heartbeat that tells every
 * replica this worker is alive, and the queues' metrics with, in a worker-only process, the
 * port that serves them. No HTTP API, no inference.
 */
@Module({
  imports: [
    DataModule,
    RegistryModule,
    TrainingModule,
    HealthModule,
    AlertsModule,
    WindowsModule,
    QualityModule,
    DiscoveryModule,
  ],
  providers: [
    TrainingProcessor,
    MirrorProcessor,
    AlertEvaluationProcessor,
    AlertWebhooksProcessor,
    MonitoringWindowsProcessor,
    MonitoringQualityProcessor,
    WorkerHeartbeat,
    DatasetUsageWiring,
    QueueMetrics,
    WorkerMetricsServer,
  ],
})
export class WorkerRoleModule {}
