import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { scheduleEvery } from '../../common/queue/job-catalogue';
import { MONITORING_QUALITY_QUEUE, REALISED_JOB, type MonitoringQualityJobs } from './monitoring-quality.jobs';

/** Makes the repeatable realised-quality run exactly one, every `everyMs` (one schedule across all workers). */
@Injectable()
export class MonitoringQualityProducer {
  constructor(@InjectQueue(MONITORING_QUALITY_QUEUE) private readonly queue: Queue) {}

  schedule(everyMs: number): Promise<void> {
    return scheduleEvery<MonitoringQualityJobs, typeof REALISED_JOB>(this.queue, REALISED_JOB, {}, everyMs);
  }
}
