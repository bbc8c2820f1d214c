import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { scheduleEvery } from '../../common/queue/job-catalogue';
import { COMPUTE_JOB, MONITORING_WINDOWS_QUEUE, type MonitoringWindowsJobs } from './monitoring-windows.jobs';

/** Makes the repeatable window computation exactly one, every `everyMs` (one schedule across all workers). */
@Injectable()
export class MonitoringWindowsProducer {
  constructor(@InjectQueue(MONITORING_WINDOWS_QUEUE) private readonly queue: Queue) {}

  schedule(everyMs: number): Promise<void> {
    return scheduleEvery<MonitoringWindowsJobs, typeof COMPUTE_JOB>(this.queue, COMPUTE_JOB, {}, everyMs);
  }
}
