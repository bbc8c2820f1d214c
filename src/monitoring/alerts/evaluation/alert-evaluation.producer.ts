import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { addJob } from '../../../common/queue/job-catalogue';
import { ALERT_EVALUATION_QUEUE, EVALUATE_JOB, type AlertEvaluationJobs } from './alert-evaluation.jobs';

/** Makes the repeatable evaluation exactly one, every `everyMs` (one schedule across all workers). */
@Injectable()
export class AlertEvaluationProducer {
  constructor(@InjectQueue(ALERT_EVALUATION_QUEUE) private readonly queue: Queue) {}

  async schedule(everyMs: number): Promise<void> {
    for (const repeatable of await this.queue.getRepeatableJobs())
      if (repeatable.name === EVALUATE_JOB && Number(repeatable.every) !== everyMs)
        await this.queue.removeRepeatableByKey(repeatable.key);
    await addJob<AlertEvaluationJobs, typeof EVALUATE_JOB>(
      this.queue,
      EVALUATE_JOB,
      {},
      { repeat: { every: everyMs }, jobId: EVALUATE_JOB, removeOnComplete: true, removeOnFail: 100 },
    );
  }
}
