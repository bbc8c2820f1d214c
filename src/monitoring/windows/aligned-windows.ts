import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DATASET_COLUMN } from '../results/monitoring-results';
import { recentWindows, type ServedVersion, type Window } from './window-plan';
import { ROWS_STATISTIC } from './window-results';

export interface PendingWindow extends Window {
  model: string;
  version: number;
}

/**
 * The epoch-aligned windows (`recentWindows`, the realised-quality job's windows) the window job
 * still owes: ended by `until` (the newest minute every replica has flushed), in the lookback, of
 * a version in service that has buckets in them, and without stored rows yet (no `rows` row on the
 * dataset column). Each is computed once, so a tick costs one indexed probe per version and window
 * of the lookback, and no computation when nothing is owed. A version without predictions in an
 * aligned window gets no rows there, as realised quality writes none.
 */
@Injectable()
export class AlignedWindows {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async pending(
    served: ReadonlyArray<ServedVersion>,
    until: Date,
    windowMs: number,
    lookbackMs: number,
  ): Promise<PendingWindow[]> {
    if (!served.length) return [];
    const windows = recentWindows(until.getTime(), windowMs, lookbackMs);
    const rows = await this.ds.query<{ model: string; version: number; from: Date; to: Date }[]>(
      `SELECT v.model, v.version, w.start AS "from", w.stop AS "to"
       FROM unnest($1::text[], $2::int[]) AS v(model, version)
       CROSS JOIN unnest($3::timestamptz[], $4::timestamptz[]) AS w(start, stop)
       WHERE EXISTS (SELECT 1 FROM monitoring.buckets b
                     WHERE b.model = v.model AND b.version = v.version AND b.minute >= w.start AND b.minute < w.stop)
         AND NOT EXISTS (SELECT 1 FROM monitoring.results r
                         WHERE r.model = v.model AND r.statistic = $5 AND r.window_end = w.stop
                           AND r.version = v.version AND r.column_name = $6 AND r.window_start = w.start)
       ORDER BY w.stop, v.model, v.version`,
      [
        served.map((v) => v.model),
        served.map((v) => v.version),
        windows.map((w) => w.from.toISOString()),
        windows.map((w) => w.to.toISOString()),
        ROWS_STATISTIC,
        DATASET_COLUMN,
      ],
    );
    return rows.map((r) => ({ model: r.model, version: r.version, from: new Date(r.from), to: new Date(r.to) }));
  }
}
