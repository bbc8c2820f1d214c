// Public entry of the training module: what other modules, the app's roles and the scripts may use.
export { TrainingModule } from './training.module';
export { RetrainScheduler } from './retrain.scheduler';
export { TRAINING_QUEUE } from './training.queue';
export { TrainingCancelRequested } from './cancel-requested.event';
