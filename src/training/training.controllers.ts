import { TrainingJobsController } from './training-jobs.controller';

/** The training module's HTTP face, mounted by the HTTP role. */
export const TRAINING_CONTROLLERS = [TrainingJobsController];
