/** The monitoring-quality queue's catalogue: one repeatable job. */
export const MONITORING_QUALITY_QUEUE = 'monitoring-quality';
export const REALISED_JOB = 'realised';

export type MonitoringQualityJobs = {
  [REALISED_JOB]: Record<string, never>;
};
