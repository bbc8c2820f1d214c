import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The column (empty) of a dataset-level figure (the share of drifted columns, a window's estimated accuracy). */
export const DATASET_COLUMN = '';
/** The statistic whose row carries a column's drift verdict (its value: the statistic the test chose). */
export const DRIFT_STATISTIC = 'drift';
/** Verdicts a drift row may carry; `insufficient_data` below the minimum window size (nothing concluded). */
export const DRIFT_VERDICTS = ['drift', 'no_drift', 'insufficient_data'] as const;

/**
 * One stored result: a statistic of one column of one model version over one window
 * (`monitoring.results`, docs/architecture.md "Monitoring results"). Statistic names: `drift`
 * (the verdict row), `psi`, `ks`, `ks_p`, `wasserstein`, `jensen_shannon`, `chi2_p`, the quality
 * rates `missing_rate`, `out_of_range_rate`, `unknown_category_rate`, and for the dataset column
 * `estimated_<metric>` and `realised_<metric>` (accuracy, precision, recall, f1, roc_auc, r2…).
 */
export interface MonitoringResult {
  model: string;
  version: number;
  windowStart: Date;
  windowEnd: Date;
  column: string;
  statistic: string;
  value: number | null;
  verdict: string | null;
  /** What made the figure: the method, its threshold and source, the window's size, a band. */
  details?: Record<string, unknown> | null;
}

export interface ResultQuery {
  model?: string | null;
  statistic: string;
  /** Only this column; otherwise every column. */
  column?: string;
  /** Windows ending in `(since, until]`. */
  since: Date;
  until: Date;
}

/** A row of monitoring.results as the driver answers it. */
export type ResultRow = {
  model: string;
  version: number;
  window_start: Date;
  window_end: Date;
  column_name: string;
  statistic: string;
  value: number | null;
  verdict: string | null;
  details: Record<string, unknown> | null;
};

/**
 * Writer and reader of the monitoring results, a time series in PostgreSQL. The drift and quality
 * jobs write; alert rules read the newest rows (the series: ResultsSeries). A window written again (a
 * recomputation) replaces its rows.
 */
@Injectable()
export class MonitoringResults {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async write(results: MonitoringResult[]): Promise<void> {
    for (let at = 0; at < results.length; at += 1000) {
      const chunk = results.slice(at, at + 1000);
      const params: unknown[] = [];
      const rows = chunk.map((r) => {
        const values = [r.model, r.version, r.windowStart, r.windowEnd, r.column, r.statistic, r.value, r.verdict];
        const first = params.length;
        params.push(...values, r.details ? JSON.stringify(r.details) : null);
        return `(${values.map((_, i) => `$${first + i + 1}`).join(', ')}, $${first + values.length + 1}::jsonb)`;
      });
      await this.ds.query(
        `INSERT INTO monitoring.results (model, version, window_start, window_end, column_name, statistic, value, verdict, details)
         VALUES ${rows.join(', ')}
         ON CONFLICT (model, statistic, window_end, version, column_name, window_start)
         DO UPDATE SET value = excluded.value, verdict = excluded.verdict, details = excluded.details, created_at = now()`,
        params,
      );
    }
  }

  /** The newest result of each model, version and column matching the query. */
  async latest(query: ResultQuery): Promise<MonitoringResult[]> {
    const params: unknown[] = [query.statistic, query.since, query.until];
    const filters = ['statistic = $1', 'window_end > $2', 'window_end <= $3'];
    if (query.model) filters.push(`model = $${params.push(query.model)}`);
    if (query.column !== undefined) filters.push(`column_name = $${params.push(query.column)}`);
    const rows = await this.ds.query<ResultRow[]>(
      `SELECT DISTINCT ON (model, version, column_name) model, version, window_start, window_end, column_name,
              statistic, value, verdict, details
       FROM monitoring.results WHERE ${filters.join(' AND ')}
       ORDER BY model, version, column_name, window_end DESC, window_start DESC`,
      params,
    );
    return rows.map(resultOf);
  }
}

/**
 * A recursive CTE `st(statistic)` of the statistics a model has rows of, by a loose index scan on
 * the primary key (one probe per statistic, a few dozen): readers then ask the key for those.
 */
export const statisticsOfModel = (model: string): string =>
  `st AS ((SELECT statistic FROM monitoring.results WHERE model = ${model} ORDER BY statistic LIMIT 1)
     UNION ALL SELECT (SELECT r.statistic FROM monitoring.results r WHERE r.model = ${model} AND r.statistic > st.statistic
                       ORDER BY r.statistic LIMIT 1) FROM st WHERE st.statistic IS NOT NULL)`;

export function resultOf(r: ResultRow): MonitoringResult {
  return {
    model: r.model,
    version: r.version,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    column: r.column_name,
    statistic: r.statistic,
    value: r.value,
    verdict: r.verdict,
    details: r.details,
  };
}
