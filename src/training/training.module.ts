import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config';
import { DataModule } from '../data';
import { RegistryModule } from '../registry';
import { ExperimentTrackerAdapter } from './adapters/experiment-tracker.adapter';
import { TrainingDataAdapter } from './adapters/training-data.adapter';
import { ExperimentTracker } from './ports/experiment-tracker.port';
import { TrainingData } from './ports/training-data.port';
import { RetrainScheduler } from './retrain.scheduler';
import { TrainingJobEntity } from './training-job.entity';
import { TrainingJobsController } from './training-jobs.controller';
import { TrainingJobsService } from './training-jobs.service';
import { TRAINING_QUEUE } from './training.queue';
import { TrainingWorker } from './training.worker';

/** Training: HTTP API for jobs everywhere; the worker and the retrain schedule only where APP_ROLE runs workers. */
@Module({})
export class TrainingModule {
  static register(config: AppConfig): DynamicModule {
    const workers: Provider[] = config.runsWorkers ? [TrainingWorker, RetrainScheduler] : [];
    return {
      module: TrainingModule,
      imports: [
        TypeOrmModule.forFeature([TrainingJobEntity]),
        BullModule.registerQueue({
          name: TRAINING_QUEUE,
          settings: { lockDuration: config.env.TRAINING_LOCK_MS, stalledInterval: config.env.TRAINING_LOCK_MS, maxStalledCount: 2 },
        }),
        DataModule.forRoot(config),
        RegistryModule,
      ],
      controllers: config.runsHttp ? [TrainingJobsController] : [],
      providers: [
        TrainingJobsService,
        { provide: TrainingData, useClass: TrainingDataAdapter },
        { provide: ExperimentTracker, useClass: ExperimentTrackerAdapter },
        ...workers,
      ],
      exports: [TrainingJobsService],
    };
  }
}
