import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { alignedWindowSql, resultOf, type MonitoringResult, type ResultRow } from './monitoring-results';

export interface SeriesQuery {
  model: string;
  /** Exact statistic names, or (with `prefixes`) every statistic starting with one of them. */
  statistics?: string[];
  prefixes?: string[];
  version?: number;
  versions?: number[];
  column?: string;
  /** Windows ending in (from, to]. */
  from: Date;
  to: Date;
  /** Only windows wholly inside [from, to] (starting at `from` or later too), as the comparison shows. */
  inside?: boolean;
  /**
   * Downsampled: at most this many points per series (version, column, statistic), see `slotMs`,
   * ordered by series then time. Omitted: every stored window, oldest first, then by version,
   * statistic and column.
   */
  points?: number;
  /** Only the epoch-aligned windows of this length (the realised-quality job's, and the window job's aligned ones). */
  alignedMs?: number;
}

/** A LIKE pattern matching what starts with `prefix` (its `_` and `%` literal). */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, '\\$&')}%`;

/** The time slot of a downsampled read: the range cut in `points` equal slots. */
export const slotMs = (q: Pick<SeriesQuery, 'from' | 'to'> & { points: number }) =>
  Math.max(1, Math.ceil((q.to.getTime() - q.from.getTime()) / q.points));

const COLUMNS = 'model, version, window_start, window_end, column_name, statistic, value, verdict, details';

/**
 * Reads of monitoring.results as time series: the API's (downsampled by time: the range is cut in
 * `points` equal slots and each series keeps the newest window ending in each slot, a stored
 * window, never an average of overlapping ones) and the version comparison's (every window).
 */
@Injectable()
export class ResultsSeries {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async read(q: SeriesQuery): Promise<MonitoringResult[]> {
    const params: unknown[] = [q.model, q.from, q.to];
    const filters = ['model = $1', 'window_end > $2', 'window_end <= $3'];
    if (q.inside) filters.push('window_start >= $2');
    const ors: string[] = [];
    if (q.statistics?.length) ors.push(`statistic = ANY($${params.push(q.statistics)})`);
    for (const p of q.prefixes ?? []) ors.push(`statistic LIKE $${params.push(likePrefix(p))}`);
    if (ors.length) filters.push(`(${ors.join(' OR ')})`);
    if (q.version !== undefined) filters.push(`version = $${params.push(q.version)}`);
    if (q.versions) filters.push(`version = ANY($${params.push(q.versions)})`);
    if (q.column !== undefined) filters.push(`column_name = $${params.push(q.column)}`);
    if (q.alignedMs !== undefined) filters.push(alignedWindowSql(params.push(q.alignedMs)));
    const where = filters.join(' AND ');
    let sql = `SELECT ${COLUMNS} FROM monitoring.results WHERE ${where}
                ORDER BY window_end, window_start, version, statistic, column_name`;
    if (q.points !== undefined) {
      const slot = `floor(extract(epoch FROM window_end) * 1000 / $${params.push(slotMs({ ...q, points: q.points }))})`;
      sql = `SELECT DISTINCT ON (version, column_name, statistic, ${slot}) ${COLUMNS}
               FROM monitoring.results WHERE ${where}
              ORDER BY version, column_name, statistic, ${slot}, window_end DESC, window_start DESC`;
    }
    return (await this.ds.query<ResultRow[]>(sql, params)).map(resultOf);
  }

  /** The newest dataset-level row of each model, version and statistic among `statistics` and `prefixes`. */
  async latestOfModels(
    models: string[],
    statistics: string[],
    prefixes: string[],
    since: Date,
  ): Promise<MonitoringResult[]> {
    if (!models.length) return [];
    const params: unknown[] = [models, since, statistics];
    const ors = ['statistic = ANY($3)', ...prefixes.map((p) => `statistic LIKE $${params.push(likePrefix(p))}`)];
    const rows = await this.ds.query<ResultRow[]>(
      `SELECT DISTINCT ON (model, version, statistic)
              model, version, window_start, window_end, column_name, statistic, value, verdict, details
         FROM monitoring.results
        WHERE model = ANY($1) AND window_end > $2 AND column_name = '' AND (${ors.join(' OR ')})
        ORDER BY model, version, statistic, window_end DESC, window_start DESC`,
      params,
    );
    return rows.map(resultOf);
  }

  /** The newest window of each model, version and column for `statistic`, newer than `since` (the gauges). */
  async latestAll(statistic: string | { prefix: string }, since: Date): Promise<MonitoringResult[]> {
    const byPrefix = typeof statistic !== 'string';
    const rows = await this.ds.query<ResultRow[]>(
      `SELECT DISTINCT ON (model, version, column_name, statistic)
              model, version, window_start, window_end, column_name, statistic, value, verdict, details
         FROM monitoring.results
        WHERE window_end > $1 AND statistic ${byPrefix ? 'LIKE' : '='} $2
        ORDER BY model, version, column_name, statistic, window_end DESC, window_start DESC`,
      [since, byPrefix ? likePrefix(statistic.prefix) : statistic],
    );
    return rows.map(resultOf);
  }
}
