import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { processJobs } from '../../common/queue/job-catalogue';
import { AppConfig } from '../../config/app-config';
import { MONITORING_QUALITY_QUEUE, type MonitoringQualityJobs } from './monitoring-quality.jobs';
import { MonitoringQualityProducer } from './monitoring-quality.producer';
import { RealisedQualityJob } from './realised-quality.job';

/**
 * Consumes the monitoring-quality queue (worker role): at start makes the schedule
 * MONITORING_REALISED_INTERVAL_MS, then recomputes realised quality at each tick (one at a time).
 */
@Injectable()
export class MonitoringQualityProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(MonitoringQualityProcessor.name);

  constructor(
    @InjectQueue(MONITORING_QUALITY_QUEUE) private readonly queue: Queue,
    private readonly producer: MonitoringQualityProducer,
    private readonly job: RealisedQualityJob,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.schedule(this.config.env.MONITORING_REALISED_INTERVAL_MS);
    processJobs<MonitoringQualityJobs>(this.queue, {
      realised: {
        concurrency: 1,
        handle: async () => {
          const summary = await this.job.run();
          if (summary) this.logger.debug(summary, 'realised quality computed');
          return summary;
        },
      },
    });
  }
}
