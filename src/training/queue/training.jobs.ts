/** The training queue's catalogue: names and payloads in one place. */
export const TRAINING_QUEUE = 'training';
export const TRAIN_JOB = 'train';
export const RETRAIN_JOB = 'retrain';

export interface TrainJobData {
  jobId: string;
}

export interface RetrainJobData {
  model: string;
}

/** Job name → payload: the producer and the processor are both typed by it. */
export type TrainingJobs = {
  [TRAIN_JOB]: TrainJobData;
  [RETRAIN_JOB]: RetrainJobData;
};
