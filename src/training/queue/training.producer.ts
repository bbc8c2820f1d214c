import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { addJob } from '../../common/queue/job-catalogue';
import { AppConfig } from '../../config/app-config';
import { RETRAIN_JOB, TRAIN_JOB, TRAINING_QUEUE, type TrainingJobs } from './training.jobs';

/** Adds training jobs (any role): a job row's run, and the retraining schedules. */
@Injectable()
export class TrainingProducer {
  constructor(
    @InjectQueue(TRAINING_QUEUE) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  /** Queues the run of a training job row; the Bull job id is the row's id. */
  async train(jobId: string): Promise<void> {
    await addJob<TrainingJobs, typeof TRAIN_JOB>(
      this.queue,
      TRAIN_JOB,
      { jobId },
      {
        jobId,
        attempts: this.config.env.TRAINING_ATTEMPTS,
        backoff: { type: 'exponential', delay: this.config.env.TRAINING_BACKOFF_MS },
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    );
  }

  /** Removes a queued run (a job locked by a worker is left: the worker sees the row's state). */
  async removeQueued(jobId: string): Promise<void> {
    await (await this.queue.getJob(jobId))?.remove().catch(() => undefined);
  }

  /** Makes the repeatable retrain jobs exactly these (one schedule across all workers). */
  async syncRetrainSchedules(schedules: { model: string; cron: string }[]): Promise<void> {
    const wanted = new Set(schedules.map((s) => `${s.model}:${s.cron}`));
    for (const repeatable of await this.queue.getRepeatableJobs()) {
      if (repeatable.name === RETRAIN_JOB && !wanted.has(`${repeatable.id}:${repeatable.cron}`))
        await this.queue.removeRepeatableByKey(repeatable.key);
    }
    for (const { model, cron } of schedules) {
      await addJob<TrainingJobs, typeof RETRAIN_JOB>(
        this.queue,
        RETRAIN_JOB,
        { model },
        { repeat: { cron }, jobId: model, removeOnComplete: true, removeOnFail: 100 },
      );
    }
  }
}
