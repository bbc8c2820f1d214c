/** The monitoring-windows queue's catalogue: one repeatable job. */
export const MONITORING_WINDOWS_QUEUE = 'monitoring-windows';
export const COMPUTE_JOB = 'compute';

export type MonitoringWindowsJobs = {
  [COMPUTE_JOB]: Record<string, never>;
};
