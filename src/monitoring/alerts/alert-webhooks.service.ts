import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { Repository } from 'typeorm';
import { validationFailed } from '../../common/errors/common.errors';
import { AppConfig } from '../../config/app-config';
import { MonitoringError, MonitoringErrorCode } from '../monitoring.errors';
import { AlertWebhookEntity } from './alert-webhook.entity';
import type { CreateAlertWebhookDto, UpdateAlertWebhookDto } from './dto/alert-webhook.dto';
import { privateAllowed, refusedUrl } from './webhooks/webhook-address';

const UNIQUE_VIOLATION = '23505';

/** Admin-managed webhook targets (besides ALERT_WEBHOOKS). */
@Injectable()
export class AlertWebhooksService {
  constructor(
    @InjectRepository(AlertWebhookEntity) private readonly webhooks: Repository<AlertWebhookEntity>,
    private readonly config: AppConfig,
  ) {}

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
      url: input.url,
      format: input.format,
      secret: input.secret ?? (made as string),
      enabled: input.enabled ?? true,
      createdBy,
    });
    return { row: await this.save(row), secret: made };
  }

  async update(id: string, change: UpdateAlertWebhookDto): Promise<AlertWebhookEntity> {
    const row = await this.webhooks.findOneBy({ id });
    if (!row) throw notFound(id);
    if (change.url !== undefined) this.checkUrl(change.url);
    return this.save(Object.assign(row, change));
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
