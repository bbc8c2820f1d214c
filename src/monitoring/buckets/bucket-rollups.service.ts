import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { sumAggregates, type BucketAggregate } from './bucket-aggregate';
import { HOUR_MS, HOUR_OF_MINUTE, hourFloor } from './bucket-hours';

/** An hour is rolled up once it ended this long ago: the replicas' flushes (and their retries) of it are in by then. */
export const ROLLUP_MARGIN_MS = 10 * 60_000;
/** How far back a tick looks for hours whose minute rows changed since their roll-up (older ones stay exact, read from minutes). */
export const ROLLUP_LOOKBACK_DAYS = 8;
/** Hours (re-)rolled per tick, so a first run over a week of buckets spreads over a few ticks. */
export const ROLLUP_HOURS_PER_TICK = 48;

interface HourKey {
  model: string;
  version: number;
  alias: string | null;
  hour: Date;
}

export interface RollupSummary {
  rolled: number;
  /** Hours still to roll after this tick's share. */
  left: number;
}

/**
 * Folds each finished hour's minute buckets into monitoring.buckets_hourly: an hour is recomputed
 * from its minute rows and upserted with how many it summed, so a tick is idempotent and re-runnable,
 * and an hour whose late rows arrived after its roll-up (the counts differ) is rolled again. Until
 * then readers see the difference and read that hour from minutes (MonitoringBuckets.sum).
 */
@Injectable()
export class BucketRollups {
  private readonly logger = new Logger(BucketRollups.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
  ) {}

  async rollUp(now = new Date()): Promise<RollupSummary> {
    const until = hourFloor(now.getTime() - ROLLUP_MARGIN_MS);
    let since = now.getTime() - ROLLUP_LOOKBACK_DAYS * 86_400_000;
    // Hours the retention sweep is cutting into keep no roll-up (the sweep deletes those too).
    const days = this.config.env.MONITORING_BUCKETS_RETENTION_DAYS;
    if (days > 0) since = Math.max(since, now.getTime() - days * 86_400_000);
    const stale = await this.staleHours(new Date(hourFloor(since) + HOUR_MS), new Date(until));
    const todo = stale.slice(0, ROLLUP_HOURS_PER_TICK);
    for (const key of todo) await this.rollUpHour(key);
    if (todo.length) this.logger.debug({ rolled: todo.length, left: stale.length - todo.length }, 'buckets rolled up');
    return { rolled: todo.length, left: stale.length - todo.length };
  }

  /** Hours in [since, until) with minute rows and no roll-up or one that summed a different number of rows. */
  private async staleHours(since: Date, until: Date): Promise<HourKey[]> {
    if (since >= until) return [];
    return this.ds.query<HourKey[]>(
      `WITH m AS (
         SELECT b.model, b.version, b.alias, ${HOUR_OF_MINUTE} AS hour, count(*)::int AS n
         FROM monitoring.buckets b WHERE b.minute >= $1 AND b.minute < $2
         GROUP BY 1, 2, 3, 4)
       SELECT m.model, m.version, m.alias, m.hour FROM m
       LEFT JOIN monitoring.buckets_hourly h ON h.model = m.model AND h.version = m.version
         AND h.alias IS NOT DISTINCT FROM m.alias AND h.hour = m.hour
       WHERE h.buckets IS DISTINCT FROM m.n
       ORDER BY m.hour, m.model, m.version, m.alias`,
      [since.toISOString(), until.toISOString()],
    );
  }

  /** Recomputes one hour from its minute rows (in a fixed order, so a re-roll adds them alike) and upserts it. */
  private async rollUpHour({ model, version, alias, hour }: HourKey): Promise<void> {
    const rows = await this.ds.query<{ payload: BucketAggregate }[]>(
      `SELECT payload FROM monitoring.buckets
       WHERE model = $1 AND version = $2 AND alias IS NOT DISTINCT FROM $3 AND minute >= $4 AND minute < $5
       ORDER BY minute, id`,
      [model, version, alias, hour.toISOString(), new Date(hour.getTime() + HOUR_MS).toISOString()],
    );
    const sum = sumAggregates(rows.map((r) => r.payload));
    if (!sum) return; // swept meanwhile
    await this.ds.query(
      `INSERT INTO monitoring.buckets_hourly (model, version, hour, alias, buckets, predictions, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT ON CONSTRAINT buckets_hourly_key DO UPDATE
         SET buckets = EXCLUDED.buckets, predictions = EXCLUDED.predictions, payload = EXCLUDED.payload,
             rolled_at = now()`,
      [model, version, hour.toISOString(), alias, rows.length, sum.rows, JSON.stringify(sum)],
    );
  }
}
