import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Repository } from 'typeorm';
import { SecretBox } from '../../../common/sealed-secrets';
import { AppConfig } from '../../../config/app-config';
import { AlertWebhookEntity, type WebhookFormat } from '../alert-webhook.entity';
import { SECRET_CONTEXT, URL_CONTEXT } from './webhook-sealing';

/** Where a delivery goes: a target of ALERT_WEBHOOKS or one an admin added. */
export interface WebhookTarget {
  /** `config:<hash of the URL>` or the stored target's id: a delivery job names it, never the URL or secret. */
  key: string;
  name: string;
  url: string;
  format: WebhookFormat;
  secret: string;
}

/** `slack=https://…,json=https://…` → [{format, url}] (the schema checked the shape). */
export function parseConfigTargets(spec: string): { format: WebhookFormat; url: string }[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const i = entry.indexOf('=');
      return { format: entry.slice(0, i) as WebhookFormat, url: entry.slice(i + 1) };
    });
}

/** The webhook targets of every alert: ALERT_WEBHOOKS (signed with ALERT_WEBHOOK_SECRET) and the enabled stored ones. */
@Injectable()
export class WebhookTargets {
  constructor(
    @InjectRepository(AlertWebhookEntity) private readonly webhooks: Repository<AlertWebhookEntity>,
    private readonly config: AppConfig,
    private readonly box: SecretBox,
  ) {}

  private configTargets(): WebhookTarget[] {
    return parseConfigTargets(this.config.env.ALERT_WEBHOOKS).map(({ format, url }) => ({
      key: `config:${createHash('sha256').update(url).digest('hex').slice(0, 16)}`,
      name: `${format} ${new URL(url).host} (ALERT_WEBHOOKS)`,
      url,
      format,
      secret: this.config.env.ALERT_WEBHOOK_SECRET ?? '',
    }));
  }

  /** The keys of every target (nothing is opened: a row whose key is missing fails its own delivery, not the others'). */
  async keys(): Promise<string[]> {
    const stored = await this.webhooks.find({ select: { id: true }, where: { enabled: true } });
    return [...this.configTargets().map((t) => t.key), ...stored.map((row) => row.id)];
  }

  /** The target a delivery names, if it is still configured and enabled. */
  async byKey(key: string): Promise<WebhookTarget | null> {
    if (key.startsWith('config:')) return this.configTargets().find((t) => t.key === key) ?? null;
    const row = await this.webhooks.findOneBy({ id: key, enabled: true });
    return row ? this.fromRow(row) : null;
  }

  /** Opens the row's URL and secret; throws SealedSecretError (naming the key id) when its key is not configured. */
  private fromRow(w: AlertWebhookEntity): WebhookTarget {
    return {
      key: w.id,
      name: w.name,
      url: this.box.open(w.urlSealed, URL_CONTEXT),
      format: w.format,
      secret: this.box.open(w.secretSealed, SECRET_CONTEXT),
    };
  }
}
