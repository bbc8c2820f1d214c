import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { processJobs } from '../../common/queue/job-catalogue';
import { AppConfig } from '../../config/app-config';
import { MONITORING_WINDOWS_QUEUE, type MonitoringWindowsJobs } from './monitoring-windows.jobs';
import { MonitoringWindowsProducer } from './monitoring-windows.producer';
import { WindowJob } from './window-job.service';

/**
 * Consumes the monitoring-windows queue (worker role): at start makes the schedule
 * MONITORING_WINDOW_INTERVAL_MS, then computes the scheduled window at each tick (one at a time).
 */
@Injectable()
export class MonitoringWindowsProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(MonitoringWindowsProcessor.name);

  constructor(
    @InjectQueue(MONITORING_WINDOWS_QUEUE) private readonly queue: Queue,
    private readonly producer: MonitoringWindowsProducer,
    private readonly job: WindowJob,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.schedule(this.config.env.MONITORING_WINDOW_INTERVAL_MS);
    processJobs<MonitoringWindowsJobs>(this.queue, {
      compute: {
        concurrency: 1,
        handle: async () => {
          const summary = await this.job.run();
          if (summary?.failed.length) this.logger.warn(summary, 'monitoring windows computed, some failed');
          return summary;
        },
      },
    });
  }
}
