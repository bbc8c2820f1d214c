import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { scheduleEvery } from '../../../common/queue/job-catalogue';
import { ALERT_EVALUATION_QUEUE, EVALUATE_JOB, type AlertEvaluationJobs } from './alert-evaluation.jobs';

/** Makes the repeatable evaluation exactly one, every `everyMs` (one schedule across all workers). */
@Injectable()
export class AlertEvaluationProducer {
  constructor(@InjectQueue(ALERT_EVALUATION_QUEUE) private readonly queue: Queue) {}

  schedule(everyMs: number): Promise<void> {
    return scheduleEvery<AlertEvaluationJobs, typeof EVALUATE_JOB>(this.queue, EVALUATE_JOB, {}, everyMs);
  }
}
