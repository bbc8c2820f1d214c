import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { Repository } from 'typeorm';
import { validationFailed } from '../../common/errors/common.errors';
import { SecretBox } from '../../common/sealed-secrets';
import { AppConfig } from '../../config/app-config';
import { MonitoringError, MonitoringErrorCode } from '../monitoring.errors';
import { AlertWebhookEntity } from './alert-webhook.entity';
import type { CreateAlertWebhookDto, UpdateAlertWebhookDto } from './dto/alert-webhook.dto';
import { privateAllowed, refusedUrl, shownUrl } from './webhooks/webhook-address';
import { SECRET_CONTEXT, URL_CONTEXT } from './webhooks/webhook-sealing';

const UNIQUE_VIOLATION = '23505';

/** Admin-managed webhook targets (besides ALERT_WEBHOOKS), their URL and secret sealed at rest. */
@Injectable()
export class AlertWebhooksService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertWebhooksService.name);

  constructor(
    @InjectRepository(AlertWebhookEntity) private readonly webhooks: Repository<AlertWebhookEntity>,
    private readonly config: AppConfig,
    private readonly box: SecretBox,
  ) {}

  /** Rows sealed under an earlier key (ALERT_WEBHOOK_SECRET_KEYS_OLD) are sealed again under the current one. */
  async onApplicationBootstrap(): Promise<void> {
    this.logger.log({ keyId: this.box.currentKeyId, source: this.box.source }, 'alert webhook secrets sealing key');
    try {
      const rows = await this.webhooks.find();
      const stale = rows.filter((r) => this.box.isStale(r.secretSealed) || this.box.isStale(r.urlSealed));
      for (const row of stale) {
        const url = this.box.open(row.urlSealed, URL_CONTEXT);
        const secret = this.box.open(row.secretSealed, SECRET_CONTEXT);
        await this.webhooks.update(row.id, this.sealed(url, secret));
      }
      if (stale.length)
        this.logger.log({ webhooks: stale.length }, 'alert webhook secrets sealed again under the current key');
    } catch (err) {
      // A key missing or PostgreSQL down: deliveries say so per target; the process still serves.
      this.logger.warn({ reason: (err as Error).message }, 'alert webhook secrets not sealed again');
    }
  }

  list(): Promise<AlertWebhookEntity[]> {
    return this.webhooks.find({ order: { name: 'ASC' } });
  }

  /** The secret is answered only when made here. */
  async create(
    input: CreateAlertWebhookDto,
    createdBy: string,
  ): Promise<{ row: AlertWebhookEntity; secret: string | null }> {
    this.checkUrl(input.url);
    const made = input.secret ? null : randomBytes(32).toString('base64url');
    const row = this.webhooks.create({
      name: input.name,
      ...this.sealed(input.url, input.secret ?? (made as string)),
      format: input.format,
      enabled: input.enabled ?? true,
      createdBy,
    });
    return { row: await this.save(row), secret: made };
  }

  async update(id: string, change: UpdateAlertWebhookDto): Promise<AlertWebhookEntity> {
    const row = await this.webhooks.findOneBy({ id });
    if (!row) throw notFound(id);
    const { url, secret, ...rest } = change;
    if (url !== undefined) {
      this.checkUrl(url);
      Object.assign(row, { urlSealed: this.box.seal(url, URL_CONTEXT), urlShown: shownUrl(url) });
    }
    if (secret !== undefined) row.secretSealed = this.box.seal(secret, SECRET_CONTEXT);
    return this.save(Object.assign(row, rest));
  }

  async remove(id: string): Promise<void> {
    const { affected } = await this.webhooks.delete({ id });
    if (!affected) throw notFound(id);
  }

  /** The scheme and literal-address checks; hosts are checked again on each delivery, after their lookup. */
  private checkUrl(url: string): void {
    const refused = refusedUrl(url, privateAllowed(this.config.env));
    if (refused) throw validationFailed([{ field: 'url', message: refused }]);
  }

  private sealed(url: string, secret: string): Pick<AlertWebhookEntity, 'urlSealed' | 'urlShown' | 'secretSealed'> {
    return {
      urlSealed: this.box.seal(url, URL_CONTEXT),
      urlShown: shownUrl(url),
      secretSealed: this.box.seal(secret, SECRET_CONTEXT),
    };
  }

  private async save(row: AlertWebhookEntity): Promise<AlertWebhookEntity> {
    try {
      return await this.webhooks.save(row);
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      throw new MonitoringError(MonitoringErrorCode.WEBHOOK_NAME_TAKEN, `A webhook named ${row.name} exists already`, [
        { field: 'name', message: 'is taken' },
      ]);
    }
  }
}

const notFound = (id: string) => new MonitoringError(MonitoringErrorCode.WEBHOOK_NOT_FOUND, `Webhook ${id} not found`);
