import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { processJobs } from '../../common/queue/job-catalogue';
import { AppConfig } from '../../config/app-config';
import { RetrainScheduler } from '../retrain.scheduler';
import { TrainingReconciler } from '../training-reconciler';
import { TrainingRunner } from '../training-runner';
import { TRAINING_QUEUE, type TrainingJobs } from './training.jobs';

/**
 * Consumes the training queue (worker role only): starts the runner, the retrain schedules and
 * the reconciler, then hands runs to TrainingRunner and retrains to RetrainScheduler. Logs what
 * Bull sees of lost workers: a job whose lock this worker could not renew, a stalled job re-queued.
 */
@Injectable()
export class TrainingProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(TrainingProcessor.name);

  constructor(
    @InjectQueue(TRAINING_QUEUE) private readonly queue: Queue,
    private readonly runner: TrainingRunner,
    private readonly retrains: RetrainScheduler,
    private readonly reconciler: TrainingReconciler,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.runner.start();
    await this.retrains.start();
    this.queue.on('lock-extension-failed', (job: Job, err: Error) =>
      this.logger.warn(
        { ...describe(job), reason: err.message },
        'training job lock lost: another worker may retry it while this one runs',
      ),
    );
    this.queue.on('stalled', (job: Job) =>
      this.logger.warn(
        { ...describe(job), reason: `no lock renewal for TRAINING_LOCK_MS (${this.config.env.TRAINING_LOCK_MS} ms)` },
        'training job stalled: its worker was lost, the queue hands it to another',
      ),
    );
    processJobs<TrainingJobs>(this.queue, {
      train: { concurrency: this.config.env.TRAINING_CONCURRENCY, handle: (job) => this.runner.run(job) },
      retrain: { concurrency: 1, handle: (job) => this.retrains.retrain(job.data.model) },
    });
    this.reconciler.start();
  }
}

/** A Bull job as log fields: a run's id is its row's id; Bull counts failed attempts only. */
function describe(job: Job): Record<string, unknown> {
  return { jobId: job.id, job: job.name, failedAttempts: job.attemptsMade };
}
