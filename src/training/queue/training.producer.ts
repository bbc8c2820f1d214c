import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { addJob } from '../../common/queue/job-catalogue';
import { AppConfig } from '../../config/app-config';
import { redisBound } from './redis-bound';
import { RETRAIN_JOB, TRAIN_JOB, TRAINING_QUEUE, type TrainingJobs, type TrainJobData } from './training.jobs';

/** Adds training jobs (any role): a job row's run, and the retraining schedules. */
@Injectable()
export class TrainingProducer {
  private readonly logger = new Logger(TrainingProducer.name);

  constructor(
    @InjectQueue(TRAINING_QUEUE) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  /**
   * Queues the run of a training job row. Idempotent: the Bull job id is the row's id, and Bull
   * ignores an add whose id it holds. Bounded by TRAINING_ENQUEUE_TIMEOUT_MS: with Redis down this
   * throws `common.dependency_unavailable` naming Redis instead of waiting.
   */
  async train(jobId: string): Promise<void> {
    await redisBound(
      addJob<TrainingJobs, typeof TRAIN_JOB>(
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
      ),
      this.config.env.TRAINING_ENQUEUE_TIMEOUT_MS,
    );
  }

  /** The queue's entry for a job row, or null when it holds none (bounded like `train`). */
  queued(jobId: string): Promise<Job<TrainJobData> | null> {
    return redisBound(this.queue.getJob(jobId), this.config.env.TRAINING_ENQUEUE_TIMEOUT_MS);
  }

  /**
   * Removes a queued run (a job locked by a worker is left: the worker sees the row's state).
   * Best effort: a worker that gets a cancelled row's entry skips it, so a Redis failure here is
   * only logged and does not fail the cancel.
   */
  async removeQueued(jobId: string): Promise<void> {
    try {
      await (await this.queued(jobId))?.remove();
    } catch (err) {
      this.logger.warn({ jobId, err: (err as Error).message }, 'queue entry of a cancelled training job not removed');
    }
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
