import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { processJobs } from '../../../common/queue/job-catalogue';
import { SealedSecretError } from '../../../common/sealed-secrets';
import { AppConfig } from '../../../config/app-config';
import { ALERT_WEBHOOKS_QUEUE, type AlertWebhookJobs, type DeliverJobData } from './alert-webhooks.jobs';
import { privateAllowed } from './webhook-address';
import { payloadFor } from './webhook-payloads';
import { send, WebhookRefused } from './webhook-sender';
import { signature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature';
import { WebhookTargets, type WebhookTarget } from './webhook-targets';

/**
 * Sends the alert webhooks (worker role): signs each attempt anew (its own timestamp), takes a 2xx
 * as delivered and anything else, a timeout or a refused connection as a failed attempt that Bull
 * retries with backoff. A receiver's answer is never parsed: its status alone counts, its first
 * bytes go to the log. A URL or address refused (SSRF rules) is not retried.
 */
@Injectable()
export class AlertWebhooksProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertWebhooksProcessor.name);

  constructor(
    @InjectQueue(ALERT_WEBHOOKS_QUEUE) private readonly queue: Queue,
    private readonly targets: WebhookTargets,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    processJobs<AlertWebhookJobs>(this.queue, {
      deliver: { concurrency: this.config.env.ALERT_WEBHOOK_CONCURRENCY, handle: (job) => this.deliver(job) },
    });
  }

  async deliver(job: Job<DeliverJobData>): Promise<void> {
    const { notice } = job.data;
    const log = {
      jobId: job.id,
      alertId: notice.alert.id,
      event: notice.event,
      target: job.data.target,
      attempt: job.attemptsMade + 1,
    };
    let target: WebhookTarget | null;
    try {
      target = await this.targets.byKey(job.data.target);
    } catch (err) {
      if (!(err instanceof SealedSecretError)) throw err;
      // No retry helps until an admin configures the key or enters the secret again: not retried.
      await job.discard();
      this.logger.error({ ...log, reason: err.message }, 'alert webhook target unreadable; delivery dropped');
      throw err;
    }
    if (!target) return this.logger.warn(log, 'alert webhook target gone or disabled; delivery dropped');
    const body = payloadFor(target.format, notice, new Date());
    const timestamp = Math.floor(Date.now() / 1000);
    const env = this.config.env;
    try {
      const { status, answer } = await send({
        url: target.url,
        body,
        headers: {
          [SIGNATURE_HEADER]: signature(target.secret, timestamp, body),
          [TIMESTAMP_HEADER]: String(timestamp),
          'x-mlapi-event': `alert.${notice.event}`,
          'x-mlapi-delivery': String(job.id),
          'user-agent': 'mlapi-alerts/1',
        },
        timeoutMs: env.ALERT_WEBHOOK_TIMEOUT_MS,
        allowPrivate: privateAllowed(env),
      });
      if (status < 200 || status >= 300)
        throw new Error(`the receiver answered ${status}: ${answer.replace(/\s+/g, ' ').slice(0, 200)}`);
      this.logger.log({ ...log, status }, 'alert webhook delivered');
    } catch (err) {
      if (err instanceof WebhookRefused) await job.discard();
      this.logger.warn({ ...log, reason: (err as Error).message }, 'alert webhook delivery failed');
      throw err;
    }
  }
}
