import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { processJobs } from '../../common/queue/job-catalogue';
import { AppConfig } from '../../config/app-config';
import { RetrainScheduler } from '../retrain.scheduler';
import { TrainingRunner } from '../training-runner';
import { TRAINING_QUEUE, type TrainingJobs } from './training.jobs';

/**
 * Consumes the training queue (worker role only): starts the runner and the retrain schedules,
 * then hands runs to TrainingRunner and retrains to RetrainScheduler.
 */
@Injectable()
export class TrainingProcessor implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(TRAINING_QUEUE) private readonly queue: Queue,
    private readonly runner: TrainingRunner,
    private readonly retrains: RetrainScheduler,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.runner.start();
    await this.retrains.start();
    processJobs<TrainingJobs>(this.queue, {
      train: { concurrency: this.config.env.TRAINING_CONCURRENCY, handle: (job) => this.runner.run(job) },
      retrain: { concurrency: 1, handle: (job) => this.retrains.retrain(job.data.model) },
    });
  }
}
