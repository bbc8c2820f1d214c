import { TrainingJobEntity } from './training-job.entity';

export const TRAINING_ENTITIES = [TrainingJobEntity];
