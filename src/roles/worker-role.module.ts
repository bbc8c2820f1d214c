import { Module } from '@nestjs/common';
import { DataModule } from '../data';
import { HealthModule, WorkerHeartbeat } from '../health';
import {
  AlertEvaluationProcessor,
  AlertsModule,
  AlertWebhooksProcessor,
  MonitoringQualityProcessor,
  QualityModule,
} from '../monitoring';
import { MirrorProcessor, RegistryModule } from '../registry';
import { TrainingModule, TrainingProcessor } from '../training';
import { DatasetUsageWiring } from './dataset-usage.wiring';

/**
 * The worker role (APP_ROLE=worker or all): the modules whose queues it consumes, one processor
 * per queue (which also starts that queue's schedules), and the heartbeat that tells every
 * replica this worker is alive. No HTTP, no inference.
 */
@Module({
  imports: [DataModule, RegistryModule, TrainingModule, HealthModule, AlertsModule, QualityModule],
  providers: [
    TrainingProcessor,
    MirrorProcessor,
    AlertEvaluationProcessor,
    AlertWebhooksProcessor,
    MonitoringQualityProcessor,
    WorkerHeartbeat,
    DatasetUsageWiring,
  ],
})
export class WorkerRoleModule {}
