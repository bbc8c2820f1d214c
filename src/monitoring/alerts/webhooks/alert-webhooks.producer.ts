import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { addJob } from '../../../common/queue/job-catalogue';
import { withTimeout } from '../../../common/with-timeout';
import { AppConfig } from '../../../config/app-config';
import type { AlertNotice } from './alert-notice';
import { ALERT_WEBHOOKS_QUEUE, DELIVER_JOB, type AlertWebhookJobs } from './alert-webhooks.jobs';
import { WebhookTargets } from './webhook-targets';

const REDIS_WAIT_MS = 5_000;

/**
 * Queues one delivery job per target for an alert's transition, so a slow or down receiver
 * retries on its own (exponential backoff) and holds up no other. The job id (alert, event,
 * target) collapses a repeated add: each target hears of a firing once and of its resolution once.
 */
@Injectable()
export class AlertWebhooksProducer {
  constructor(
    @InjectQueue(ALERT_WEBHOOKS_QUEUE) private readonly queue: Queue,
    private readonly targets: WebhookTargets,
    private readonly config: AppConfig,
  ) {}

  /** Returns the number of targets queued. */
  async deliver(notice: AlertNotice): Promise<number> {
    const targets = await this.targets.keys();
    for (const target of targets) {
      const added = addJob<AlertWebhookJobs, typeof DELIVER_JOB>(
        this.queue,
        DELIVER_JOB,
        { target, notice },
        {
          jobId: `${notice.alert.id}:${notice.event}:${target}`,
          attempts: this.config.env.ALERT_WEBHOOK_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.env.ALERT_WEBHOOK_BACKOFF_MS },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      );
      added.catch(() => undefined); // a late rejection of an abandoned add is not unhandled
      // Bull's client queues commands while Redis is offline: bounded, the evaluation goes on.
      await withTimeout(added, REDIS_WAIT_MS, 'no answer from Redis');
    }
    return targets.length;
  }
}
