import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #20 (7-day windows under 1 s): hourly roll-ups of monitoring.buckets, one row per model
 * version, alias and UTC hour holding the sum of that hour's minute rows and how many it summed
 * (`buckets`), which readers compare with the minute rows' count to detect late rows
 * (docs/architecture.md, "Monitoring buckets"). The unique key (a null alias equal to another)
 * serves the roll-up's upsert and the reads; the hour index the retention sweep.
 */
export class MonitoringBucketsHourly1764100015000 implements MigrationInterface {
  name = 'MonitoringBucketsHourly1764100015000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE monitoring.buckets_hourly (
        model text NOT NULL,
        version integer NOT NULL,
        hour timestamptz NOT NULL,
        alias text,
        buckets integer NOT NULL,
        predictions bigint NOT NULL,
        payload jsonb NOT NULL,
        rolled_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT buckets_hourly_key UNIQUE NULLS NOT DISTINCT (model, version, hour, alias)
      )`);
    await q.query('CREATE INDEX buckets_hourly_hour_idx ON monitoring.buckets_hourly (hour)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE monitoring.buckets_hourly');
  }
}
