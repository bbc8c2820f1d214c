import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { addAggregate, type BucketAggregate } from './bucket-aggregate';
import { HOUR_OF_MINUTE, hourCeil, hourFloor } from './bucket-hours';

/** Inference's shadow alias, under which the buckets count shadow scoring: no caller's request. */
export const SHADOW_ALIAS = 'shadow';

export interface BucketWindow {
  model: string;
  /** One version, or every version that served under `alias` (or both). */
  version?: number;
  alias?: string;
  /** Half-open [from, to): a bucket counts when its minute starts inside. */
  from: Date;
  to: Date;
}

/** One row read: a minute bucket (`buckets` 1) or a whole hour's roll-up, with `select`'s part of its payload. */
export interface BucketRow<T> {
  version: number;
  alias: string | null;
  /** Its minute, or its hour (a roll-up). */
  at: Date;
  buckets: number;
  payload: T;
}

export interface BucketRead {
  /** SQL over the payload (as `payload`) that the rows carry, e.g. a few fields of it; default the whole payload. */
  select?: string;
  /**
   * Whether whole hours may come from their roll-ups (default true). A reader that groups rows by
   * slots not made of whole UTC hours turns it off: an hour's roll-up would straddle two slots.
   */
  rollups?: boolean;
}

/** The buckets of one version in a window, summed. */
export interface SummedBuckets {
  model: string;
  version: number;
  /** Minute rows summed (those of the roll-ups read included): minutes × replicas (and sealed early minutes). */
  buckets: number;
  aggregate: BucketAggregate;
}

/**
 * The read side of the monitoring buckets: a window's aggregates per version, from one statement.
 * Whole UTC hours inside [from, to) come from their roll-ups (monitoring.buckets_hourly) when a
 * roll-up summed as many rows as the hour's minute rows now number; the ragged edges, and hours not
 * rolled up yet or with late rows since, come from the minute rows. Being one statement, both sides
 * are read in one snapshot, so the sum is that of the minute rows alone: counts exactly, float sums
 * up to the order of additions. Its cost grows with hours × versions × replicas, never with traffic.
 */
@Injectable()
export class MonitoringBuckets {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async sum(window: BucketWindow): Promise<SummedBuckets[]> {
    const out = new Map<number, SummedBuckets>();
    for (const { version: v, payload, buckets } of await this.rows<BucketAggregate>(window)) {
      const summed = out.get(v);
      if (summed) {
        addAggregate(summed.aggregate, payload);
        summed.buckets += buckets;
      } else out.set(v, { model: window.model, version: v, buckets, aggregate: payload });
    }
    return [...out.values()];
  }

  /**
   * The window's rows, each a minute bucket or a whole hour's roll-up standing for its minute rows
   * (one statement, as `sum` reads them), ordered by version; for readers that add them up their way.
   */
  async rows<T>(window: BucketWindow, read: BucketRead = {}): Promise<BucketRow<T>[]> {
    const { model, version, alias, from, to } = window;
    if (!(from.getTime() < to.getTime())) throw new RangeError('a bucket window needs from < to');
    const h0 = hourCeil(from.getTime());
    const h1 = read.rollups === false ? h0 : Math.max(h0, hourFloor(to.getTime()));
    const params: unknown[] = [
      model,
      from.toISOString(),
      to.toISOString(),
      new Date(h0).toISOString(),
      new Date(h1).toISOString(),
    ];
    let filter = '';
    if (version !== undefined) filter += ` AND version = $${params.push(version)}`;
    if (alias !== undefined) filter += ` AND alias = $${params.push(alias)}`;
    const select = read.select ?? 'payload';
    return this.ds.query<BucketRow<T>[]>(
      `WITH counts AS (
         SELECT b.version, b.alias, ${HOUR_OF_MINUTE} AS hour, count(*)::int AS n
         FROM monitoring.buckets b WHERE model = $1 AND minute >= $4 AND minute < $5${filter}
         GROUP BY 1, 2, 3),
       rolled AS MATERIALIZED (
         SELECT h.version, h.alias, h.hour, h.buckets, h.payload
         FROM monitoring.buckets_hourly h
         JOIN counts c ON c.version = h.version AND c.alias IS NOT DISTINCT FROM h.alias AND c.hour = h.hour
           AND c.n = h.buckets
         WHERE h.model = $1 AND h.hour >= $4 AND h.hour < $5)
       SELECT version, alias, hour AS at, buckets, ${select} AS payload FROM rolled
       UNION ALL
       SELECT b.version, b.alias, b.minute, 1, ${select} FROM monitoring.buckets b
       WHERE model = $1 AND minute >= $2 AND minute < $3${filter}
         AND NOT EXISTS (SELECT 1 FROM rolled r WHERE r.version = b.version
           AND r.alias IS NOT DISTINCT FROM b.alias AND r.hour = ${HOUR_OF_MINUTE})
       ORDER BY version`,
      params,
    );
  }
}
