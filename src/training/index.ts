// Public entry of the training module: what other modules, the app's roles and the scripts may use.
export { TrainingModule } from './training.module';
export { TRAINING_CONTROLLERS } from './training.controllers';
export { TrainingProcessor } from './queue/training.processor';
export { TRAINING_QUEUE } from './queue/training.jobs';
export { RetrainScheduler, type AlertRetrain } from './retrain.scheduler';
export { TrainingFailures, type TrainingFailureCount } from './training-failures';
export { TRAINING_ERROR_STATUS, TrainingError, TrainingErrorCode } from './training.errors';
export { TrainingCancelRequested } from './cancel-requested.event';
export { TrainingProgress, type TrainingProgressEvent } from './training-progress.event';
