import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #21 (dashboard reads of 7 days under 1 s): the downsampled reads of monitoring.results
 * (ResultsSeries.read) find each series' newest window per slot by an index probe on (model,
 * version, statistic, window_end) instead of sorting every row of the range; column_name last, so
 * a read of one feature probes inside the index too (docs/benchmarks.md, "Dashboard endpoints").
 */
export class MonitoringResultsSeriesIndex1764100016000 implements MigrationInterface {
  name = 'MonitoringResultsSeriesIndex1764100016000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'CREATE INDEX results_series_idx ON monitoring.results (model, version, statistic, window_end, column_name)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX monitoring.results_series_idx');
  }
}
