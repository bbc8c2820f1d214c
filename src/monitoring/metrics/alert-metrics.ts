import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { withTimeout } from '../../common/with-timeout';

/** A scrape waits no longer than this for PostgreSQL. */
export const ALERTS_READ_TIMEOUT_MS = 1_000;

interface FiringRow {
  rule: string;
  severity: string;
  firing: number;
}

/**
 * `mlapi_alerts_firing{rule,severity}`: the alerts firing now per rule, read from PostgreSQL at each
 * scrape (shared state: the same on every replica, aggregated with `max`). Every rule has a series,
 * 0 when quiet, so a dashboard can tell "no alert" from "no data"; a deleted rule's series goes with
 * it. NaN when PostgreSQL does not answer in time, so a scrape never hangs on an outage.
 */
@Injectable()
export class AlertMetrics implements OnModuleInit {
  constructor(
    private readonly registry: Registry,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const read = () => this.firing();
    let known: FiringRow[] = [];
    new Gauge({
      name: 'mlapi_alerts_firing',
      help: `Alerts firing now, by rule and severity (read from PostgreSQL at each scrape; NaN when it does not answer within ${ALERTS_READ_TIMEOUT_MS} ms)`,
      labelNames: ['rule', 'severity'],
      registers: [this.registry],
      async collect() {
        const rows = await read();
        if (rows !== null) known = rows;
        this.reset();
        for (const r of known) this.set({ rule: r.rule, severity: r.severity }, rows === null ? NaN : r.firing);
      },
    });
  }

  private async firing(): Promise<FiringRow[] | null> {
    try {
      return await withTimeout(
        this.dataSource.query<FiringRow[]>(
          `SELECT r.name AS rule, r.severity, count(a.id)::int AS firing
             FROM monitoring.alert_rules r
             LEFT JOIN monitoring.alerts a ON a.rule_id = r.id AND a.state = 'firing'
            GROUP BY r.name, r.severity`,
        ),
        ALERTS_READ_TIMEOUT_MS,
        'reading firing alerts',
      );
    } catch {
      return null;
    }
  }
}
