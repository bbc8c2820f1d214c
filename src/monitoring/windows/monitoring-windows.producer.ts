import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { addJob } from '../../common/queue/job-catalogue';
import { COMPUTE_JOB, MONITORING_WINDOWS_QUEUE, type MonitoringWindowsJobs } from './monitoring-windows.jobs';

/** Makes the repeatable window computation exactly one, every `everyMs` (one schedule across all workers). */
@Injectable()
export class MonitoringWindowsProducer {
  constructor(@InjectQueue(MONITORING_WINDOWS_QUEUE) private readonly queue: Queue) {}

  async schedule(everyMs: number): Promise<void> {
    for (const repeatable of await this.queue.getRepeatableJobs())
      if (repeatable.name === COMPUTE_JOB && Number(repeatable.every) !== everyMs)
        await this.queue.removeRepeatableByKey(repeatable.key);
    await addJob<MonitoringWindowsJobs, typeof COMPUTE_JOB>(
      this.queue,
      COMPUTE_JOB,
      {},
      { repeat: { every: everyMs }, jobId: COMPUTE_JOB, removeOnComplete: true, removeOnFail: 100 },
    );
  }
}
