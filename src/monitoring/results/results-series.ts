import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { resultOf, statisticsOfModel, type MonitoringResult, type ResultRow } from './monitoring-results';

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

/** Statistics named exactly or by prefix, of windows ending after `since` (a gauge's read). */
export interface LatestSelection {
  statistics?: string[];
  prefixes?: string[];
  since: Date;
}

/**
 * The condition on `st.statistic` (the loose index scan's statistics) that keeps the query's
 * statistics and prefixes (`TRUE` without either), its parameters pushed onto `params`.
 */
function statisticMatch(q: Pick<SeriesQuery, 'statistics' | 'prefixes'>, params: unknown[]): string {
  const ors: string[] = [];
  if (q.statistics?.length) ors.push(`st.statistic = ANY($${params.push(q.statistics)})`);
  for (const p of q.prefixes ?? []) ors.push(`st.statistic LIKE $${params.push(likePrefix(p))}`);
  return ors.length ? `(${ors.join(' OR ')})` : 'TRUE';
}

/** The time slot of a downsampled read: the range cut in `points` equal slots. */
export const slotMs = (q: Pick<SeriesQuery, 'from' | 'to'> & { points: number }) =>
  Math.max(1, Math.ceil((q.to.getTime() - q.from.getTime()) / q.points));

const COLUMNS = 'model, version, window_start, window_end, column_name, statistic, value, verdict, details';

/**
 * Reads of monitoring.results as time series: the API's (downsampled by time: the range is cut in
 * `points` equal slots and each version and statistic keeps, per slot, its newest window ending
 * there, a stored window, never an average of overlapping ones, with every column of it: the jobs
 * write all of a window's columns at once) and the version comparison's (every window).
 */
@Injectable()
export class ResultsSeries {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async read(q: SeriesQuery): Promise<MonitoringResult[]> {
    if (q.alignedMs !== undefined) return this.aligned(q, q.alignedMs);
    return q.points === undefined ? this.every(q) : this.downsampled(q, q.points);
  }

  /**
   * Only the epoch-aligned windows of `alignedMs`: their ends are known (multiples of it, each
   * starting one length before), so each statistic and end is one probe on the primary key
   * (model, statistic, window_end, …, window_start) — statistics × ends probes (168 for a week of
   * hours), where a filter on the alignment read every row of the range (59 sliding windows in 60
   * are not aligned). Downsampled (`points`) as `downsampled` is: per series and slot, its newest
   * window, with every column of it; else every window, oldest first.
   */
  private async aligned(q: SeriesQuery, alignedMs: number): Promise<MonitoringResult[]> {
    const params: unknown[] = [q.model, q.from, q.to, alignedMs];
    const filters = ['st.statistic IS NOT NULL', statisticMatch(q, params)];
    if (q.inside) filters.push('r.window_start >= $2');
    if (q.version !== undefined) filters.push(`r.version = $${params.push(q.version)}`);
    if (q.versions) filters.push(`r.version = ANY($${params.push(q.versions)})`);
    if (q.column !== undefined) filters.push(`r.column_name = $${params.push(q.column)}`);
    const length = `$4::int8 * interval '1 millisecond'`;
    const rowsSql = `SELECT r.model, r.version, r.window_start, r.window_end, r.column_name, r.statistic, r.value, r.verdict, r.details
       FROM st CROSS JOIN ends JOIN monitoring.results r ON r.model = $1 AND r.statistic = st.statistic
         AND r.window_end = ends.e AND r.window_start = ends.e - ${length}
       WHERE ${filters.join(' AND ')}`;
    const ctes = `WITH RECURSIVE ${statisticsOfModel('$1')},
       ends AS (SELECT timestamptz 'epoch' + k * ${length} AS e
         FROM generate_series(floor(extract(epoch FROM $2::timestamptz) * 1000 / $4)::int8 + 1,
                              floor(extract(epoch FROM $3::timestamptz) * 1000 / $4)::int8) k)`;
    if (q.points === undefined) {
      const rows = await this.ds.query<ResultRow[]>(
        `${ctes} ${rowsSql} ORDER BY r.window_end, r.window_start, r.version, r.statistic, r.column_name`,
        params,
      );
      return rows.map(resultOf);
    }
    const slot = `floor(extract(epoch FROM window_end) * 1000 / $${params.push(slotMs({ ...q, points: q.points }))})`;
    const rows = await this.ds.query<ResultRow[]>(
      `${ctes}, aligned AS MATERIALIZED (${rowsSql}),
       picks AS (SELECT DISTINCT ON (version, statistic, ${slot}) version, statistic, window_end FROM aligned
                 ORDER BY version, statistic, ${slot}, window_end DESC)
       SELECT a.* FROM aligned a JOIN picks p USING (version, statistic, window_end)
       ORDER BY a.version, a.column_name, a.statistic, a.window_end`,
      params,
    );
    return rows.map(resultOf);
  }

  /** Every stored window of the span, oldest first; the model's statistics found by a loose index scan. */
  private async every(q: SeriesQuery): Promise<MonitoringResult[]> {
    const params: unknown[] = [q.model, q.from, q.to];
    const filters = ['model = $1', 'window_end > $2', 'window_end <= $3'];
    if (q.inside) filters.push('window_start >= $2');
    const wanted = statisticMatch(q, params);
    filters.push(`statistic = ANY (ARRAY(SELECT st.statistic FROM st WHERE st.statistic IS NOT NULL AND ${wanted}))`);
    if (q.version !== undefined) filters.push(`version = $${params.push(q.version)}`);
    if (q.versions) filters.push(`version = ANY($${params.push(q.versions)})`);
    if (q.column !== undefined) filters.push(`column_name = $${params.push(q.column)}`);
    const rows = await this.ds.query<ResultRow[]>(
      `WITH RECURSIVE ${statisticsOfModel('$1')}
       SELECT ${COLUMNS} FROM monitoring.results WHERE ${filters.join(' AND ')}
       ORDER BY window_end, window_start, version, statistic, column_name`,
      params,
    );
    return rows.map(resultOf);
  }

  private async downsampled(q: SeriesQuery, points: number): Promise<MonitoringResult[]> {
    const params: unknown[] = [q.model, q.from, q.to, slotMs({ ...q, points })];
    const pairs = ['vs.version IS NOT NULL', 'st.statistic IS NOT NULL', statisticMatch(q, params)];
    if (q.version !== undefined) pairs.push(`vs.version = $${params.push(q.version)}`);
    if (q.versions) pairs.push(`vs.version = ANY($${params.push(q.versions)})`);
    let rowFilter = q.column === undefined ? '' : ` AND r.column_name = $${params.push(q.column)}`;
    if (q.inside) rowFilter += ' AND r.window_start >= $2';
    // Versions and statistics by loose index scans (a probe each), the pairs with a row in the
    // range, then per pair and slot the newest window_end (one probe on results_series_idx), and
    // only those windows' rows: the cost grows with pairs × slots, not with the windows stored.
    const rows = await this.ds.query<ResultRow[]>(
      `WITH RECURSIVE
       vs AS ((SELECT version FROM monitoring.results WHERE model = $1 ORDER BY version LIMIT 1)
         UNION ALL SELECT (SELECT r.version FROM monitoring.results r WHERE r.model = $1 AND r.version > vs.version
                           ORDER BY r.version LIMIT 1) FROM vs WHERE vs.version IS NOT NULL),
       ${statisticsOfModel('$1')},
       pairs AS (SELECT vs.version, st.statistic FROM vs CROSS JOIN st
         CROSS JOIN LATERAL (SELECT 1 FROM monitoring.results r WHERE r.model = $1 AND r.version = vs.version
                     AND r.statistic = st.statistic AND r.window_end > $2 AND r.window_end <= $3${rowFilter} LIMIT 1) x
         WHERE ${pairs.join(' AND ')}),
       slots AS (SELECT to_timestamp(k * $4::float8 / 1000) AS lo, to_timestamp((k + 1) * $4::float8 / 1000) AS hi
         FROM generate_series(floor(extract(epoch FROM $2::timestamptz) * 1000 / $4)::bigint,
                              floor(extract(epoch FROM $3::timestamptz) * 1000 / $4)::bigint) k),
       picks AS (SELECT p.version, p.statistic, e.window_end FROM pairs p CROSS JOIN slots s
         CROSS JOIN LATERAL (SELECT max(r.window_end) AS window_end FROM monitoring.results r
           WHERE r.model = $1 AND r.version = p.version AND r.statistic = p.statistic${rowFilter}
             AND r.window_end > $2 AND r.window_end <= $3 AND r.window_end >= s.lo AND r.window_end < s.hi) e
         WHERE e.window_end IS NOT NULL)
       SELECT DISTINCT ON (r.version, r.column_name, r.statistic, r.window_end)
              r.model, r.version, r.window_start, r.window_end, r.column_name, r.statistic, r.value, r.verdict, r.details
         FROM picks p JOIN monitoring.results r ON r.model = $1 AND r.statistic = p.statistic
           AND r.window_end = p.window_end AND r.version = p.version${rowFilter}
        ORDER BY r.version, r.column_name, r.statistic, r.window_end, r.window_start DESC`,
      params,
    );
    return rows.map(resultOf);
  }

  /**
   * The newest dataset-level row of each of `versions` (model and version) and statistic among
   * `statistics` and `prefixes`: the model's statistics by a loose index scan, then one probe on
   * results_series_idx per version and statistic (never a sort of the rows since `since`).
   */
  async latestOfVersions(
    versions: { model: string; version: number }[],
    statistics: string[],
    prefixes: string[],
    since: Date,
  ): Promise<MonitoringResult[]> {
    if (!versions.length) return [];
    const params: unknown[] = [versions.map((v) => v.model), versions.map((v) => v.version), since, statistics];
    const ors = ['st.statistic = ANY($4)', ...prefixes.map((p) => `st.statistic LIKE $${params.push(likePrefix(p))}`)];
    const rows = await this.ds.query<ResultRow[]>(
      `WITH RECURSIVE
       p AS (SELECT DISTINCT * FROM unnest($1::text[], $2::int[]) AS p(model, version)),
       st AS (SELECT m.model, (SELECT r.statistic FROM monitoring.results r WHERE r.model = m.model
                               ORDER BY r.statistic LIMIT 1) AS statistic FROM (SELECT DISTINCT model FROM p) m
         UNION ALL SELECT st.model, (SELECT r.statistic FROM monitoring.results r WHERE r.model = st.model
                                     AND r.statistic > st.statistic ORDER BY r.statistic LIMIT 1)
         FROM st WHERE st.statistic IS NOT NULL)
       SELECT x.* FROM p JOIN st ON st.model = p.model AND st.statistic IS NOT NULL AND (${ors.join(' OR ')})
       CROSS JOIN LATERAL (
         SELECT model, version, window_start, window_end, column_name, statistic, value, verdict, details
           FROM monitoring.results r
          WHERE r.model = p.model AND r.version = p.version AND r.statistic = st.statistic AND r.column_name = ''
            AND r.window_end > $3
          ORDER BY r.window_end DESC, r.window_start DESC LIMIT 1) x`,
      params,
    );
    return rows.map(resultOf);
  }

  /**
   * The newest window of each model, version, column and statistic among `selections`, each with
   * its own age bound: what the gauges read, in one query per scrape (a range scan of
   * results_window_end_idx back to the oldest bound).
   */
  async latestAll(selections: LatestSelection[]): Promise<MonitoringResult[]> {
    if (!selections.length) return [];
    const params: unknown[] = [];
    const ors = selections.map((s) => {
      const names = (s.prefixes ?? []).map((p) => `statistic LIKE $${params.push(likePrefix(p))}`);
      if (s.statistics?.length) names.push(`statistic = ANY($${params.push(s.statistics)})`);
      return `(window_end > $${params.push(s.since)} AND (${names.join(' OR ') || 'FALSE'}))`;
    });
    const oldest = new Date(Math.min(...selections.map((s) => s.since.getTime())));
    const rows = await this.ds.query<ResultRow[]>(
      `SELECT DISTINCT ON (model, version, column_name, statistic) ${COLUMNS}
         FROM monitoring.results
        WHERE window_end > $${params.push(oldest)} AND (${ors.join(' OR ')})
        ORDER BY model, version, column_name, statistic, window_end DESC, window_start DESC`,
      params,
    );
    return rows.map(resultOf);
  }
}
