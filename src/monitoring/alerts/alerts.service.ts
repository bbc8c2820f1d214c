import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThanOrEqual, type FindOptionsWhere, type Repository } from 'typeorm';
import { MonitoringError, MonitoringErrorCode } from '../monitoring.errors';
import { AlertEntity, type AlertState } from './alert.entity';

export interface AlertFilter {
  state?: AlertState;
  model?: string;
  /** Alerts changed since (pending, fired or resolved). */
  since?: Date;
  limit: number;
  offset: number;
}

/** The read side of alerts, for the API. */
@Injectable()
export class AlertsService {
  constructor(@InjectRepository(AlertEntity) private readonly alerts: Repository<AlertEntity>) {}

  list(filter: AlertFilter): Promise<[AlertEntity[], number]> {
    const where: FindOptionsWhere<AlertEntity> = {};
    if (filter.state) where.state = filter.state;
    if (filter.model) where.model = filter.model;
    if (filter.since) where.updatedAt = MoreThanOrEqual(filter.since);
    return this.alerts.findAndCount({ where, order: { updatedAt: 'DESC' }, take: filter.limit, skip: filter.offset });
  }

  async get(id: string): Promise<AlertEntity> {
    const alert = await this.alerts.findOneBy({ id });
    if (!alert) throw new MonitoringError(MonitoringErrorCode.ALERT_NOT_FOUND, `Alert ${id} not found`);
    return alert;
  }
}
