import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { DataModule } from '../data';
import { HealthModule } from '../health';
import { RegistryModule } from '../registry';
import { ExperimentTrackerAdapter } from './adapters/experiment-tracker.adapter';
import { TrainingDataAdapter } from './adapters/training-data.adapter';
import { ExperimentTracker } from './ports/experiment-tracker.port';
import { TrainingData } from './ports/training-data.port';
import { TRAINING_QUEUE } from './queue/training.jobs';
import { TrainingProducer } from './queue/training.producer';
import { RetrainScheduler } from './retrain.scheduler';
import { TrainingJobEntity } from './training-job.entity';
import { TrainingJobsService } from './training-jobs.service';
import { TrainingRunner } from './training-runner';
import { TrainingMetrics } from './training-metrics';
import { JobLiveness } from './job-liveness';
import { TrainingReconciler } from './training-reconciler';
import { TrainingFailures } from './training-failures';

const trainingQueue = BullModule.registerQueueAsync({
  name: TRAINING_QUEUE,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => ({
    settings: {
      lockDuration: config.env.TRAINING_LOCK_MS,
      stalledInterval: config.env.TRAINING_LOCK_MS,
      maxStalledCount: 2,
    },
  }),
});

/**
 * Training jobs: the service behind the HTTP API, the queue's producer, and what a worker runs
 * (TrainingRunner, RetrainScheduler, TrainingReconciler), inert until started. The worker role adds TrainingProcessor,
 * which starts them and consumes the queue; the HTTP role adds the controller.
 */
@Module({
  imports: [TypeOrmModule.forFeature([TrainingJobEntity]), trainingQueue, DataModule, RegistryModule, HealthModule],
  providers: [
    TrainingJobsService,
    TrainingProducer,
    TrainingRunner,
    TrainingMetrics,
    RetrainScheduler,
    TrainingReconciler,
    JobLiveness,
    TrainingFailures,
    { provide: TrainingData, useClass: TrainingDataAdapter },
    { provide: ExperimentTracker, useClass: ExperimentTrackerAdapter },
  ],
  // The queue too, for the worker role's TrainingProcessor.
  exports: [
    TrainingJobsService,
    JobLiveness,
    TrainingFailures,
    TrainingRunner,
    RetrainScheduler,
    TrainingReconciler,
    trainingQueue,
  ],
})
export class TrainingModule {}
