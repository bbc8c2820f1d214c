import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { addAggregate, type BucketAggregate } from './bucket-aggregate';

export interface BucketWindow {
  model: string;
  /** One version, or every version that served under `alias` (or both). */
  version?: number;
  alias?: string;
  /** Half-open [from, to): a bucket counts when its minute starts inside. */
  from: Date;
  to: Date;
}

/** The buckets of one version in a window, summed. */
export interface SummedBuckets {
  model: string;
  version: number;
  /** Rows summed: minutes × replicas (and sealed early minutes), whatever the traffic. */
  buckets: number;
  aggregate: BucketAggregate;
}

/**
 * The read side of the monitoring buckets: a window's aggregates per version, from one query on the
 * primary key (model, version, minute). It reads a row per replica and minute whatever the number of
 * predictions, so its cost grows with minutes × versions × replicas, never with traffic.
 */
@Injectable()
export class MonitoringBuckets {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async sum(window: BucketWindow): Promise<SummedBuckets[]> {
    const { model, version, alias, from, to } = window;
    if (!(from.getTime() < to.getTime())) throw new RangeError('a bucket window needs from < to');
    const params: unknown[] = [model, from.toISOString(), to.toISOString()];
    let where = 'model = $1 AND minute >= $2 AND minute < $3';
    if (version !== undefined) where += ` AND version = $${params.push(version)}`;
    if (alias !== undefined) where += ` AND alias = $${params.push(alias)}`;
    const rows = await this.ds.query<{ version: number; payload: BucketAggregate }[]>(
      `SELECT version, payload FROM monitoring.buckets WHERE ${where} ORDER BY version`,
      params,
    );
    const out = new Map<number, SummedBuckets>();
    for (const { version: v, payload } of rows) {
      const summed = out.get(v);
      if (summed) {
        addAggregate(summed.aggregate, payload);
        summed.buckets++;
      } else out.set(v, { model, version: v, buckets: 1, aggregate: payload });
    }
    return [...out.values()];
  }
}
