import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { PredictionReader } from '../../inference';
import { RegistryModule } from '../../registry';
import { MonitoringResults } from '../results/monitoring-results';
import { ResultsSeries } from '../results/results-series';
import { ComparisonService } from './comparison.service';
import { MONITORING_QUALITY_QUEUE } from './monitoring-quality.jobs';
import { MonitoringQualityProducer } from './monitoring-quality.producer';
import { RealisedQualityJob } from './realised-quality.job';
import { VersionsInService } from './versions-in-service';

const queues = BullModule.registerQueue({ name: MONITORING_QUALITY_QUEUE });

/**
 * Realised quality and the version comparison (docs/architecture.md, "Realised quality and the
 * shadow comparison"): the job, its producer and the comparison's reader, inert until a role
 * starts them. The worker role adds MonitoringQualityProcessor; the HTTP role the controller.
 * Inference's log reader needs only the database, so it is provided here (a worker loads no model).
 */
@Module({
  imports: [queues, RegistryModule],
  providers: [
    PredictionReader,
    MonitoringResults,
    ResultsSeries,
    VersionsInService,
    RealisedQualityJob,
    MonitoringQualityProducer,
    ComparisonService,
  ],
  exports: [RealisedQualityJob, MonitoringQualityProducer, ComparisonService, queues],
})
export class QualityModule {}
