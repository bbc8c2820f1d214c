import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { PredictionReader } from '../../inference';
import { RegistryModule } from '../../registry';
import { BucketsReaderModule } from '../buckets/buckets-reader.module';
import { MonitoringResults } from '../results/monitoring-results';
import { ResultsSeries } from '../results/results-series';
import { LogAggregates } from './log-aggregates';
import { MONITORING_WINDOWS_QUEUE } from './monitoring-windows.jobs';
import { MonitoringWindowsProducer } from './monitoring-windows.producer';
import { VersionReferences } from './version-references';
import { WindowComputer } from './window-computer.service';
import { WindowJob } from './window-job.service';
import { AlignedWindows } from './aligned-windows';

const queues = BullModule.registerQueue({ name: MONITORING_WINDOWS_QUEUE });

/**
 * Drift, data quality and estimated quality of windows (docs/architecture.md, "Monitoring
 * windows"): the computation from buckets (or from the raw log, LogAggregates) to
 * monitoring.results and the scheduled job, inert until the worker role adds
 * MonitoringWindowsProcessor. Reads buckets without the recorder, the log through PredictionReader
 * (a DataSource is all it needs) and bundles through the registry's entry, so a worker needs neither
 * the inference module nor a loaded model.
 */
@Module({
  imports: [queues, BucketsReaderModule, RegistryModule],
  providers: [
    AlignedWindows,
    PredictionReader,
    LogAggregates,
    MonitoringResults,
    ResultsSeries,
    VersionReferences,
    WindowComputer,
    WindowJob,
    MonitoringWindowsProducer,
  ],
  exports: [
    queues,
    BucketsReaderModule,
    MonitoringResults,
    ResultsSeries,
    VersionReferences,
    WindowComputer,
    WindowJob,
    MonitoringWindowsProducer,
  ],
})
export class WindowsModule {}
