import type { AlertNotice } from './alert-notice';

/** The alert-webhooks queue's catalogue: one job per alert transition and target. */
export const ALERT_WEBHOOKS_QUEUE = 'alert-webhooks';
export const DELIVER_JOB = 'deliver';

export interface DeliverJobData {
  /** WebhookTarget.key: the URL and secret are looked up when the job runs, never kept in Redis. */
  target: string;
  notice: AlertNotice;
}

export type AlertWebhookJobs = {
  [DELIVER_JOB]: DeliverJobData;
};
