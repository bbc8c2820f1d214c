/** The alert-evaluation queue's catalogue: one repeatable job. */
export const ALERT_EVALUATION_QUEUE = 'alert-evaluation';
export const EVALUATE_JOB = 'evaluate';

export type AlertEvaluationJobs = {
  [EVALUATE_JOB]: Record<string, never>;
};
