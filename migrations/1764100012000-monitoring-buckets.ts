import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #20 (scale): the monitoring schema's first table, the per-minute aggregates each serving
 * replica keeps of every prediction (docs/architecture.md, "Monitoring buckets"). Insert-only: a row
 * per replica, model version, alias and minute (`id` drawn when the bucket was sealed, so a retried
 * write skips what it already stored); readers sum the rows of a window. The primary key serves
 * those reads (one model version's minutes), the minute index the retention sweep.
 */
export class MonitoringBuckets1764100012000 implements MigrationInterface {
  name = 'MonitoringBuckets1764100012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE monitoring.buckets (
        model text NOT NULL,
        version integer NOT NULL,
        minute timestamptz NOT NULL,
        id uuid NOT NULL,
        alias text,
        predictions integer NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT buckets_pkey PRIMARY KEY (model, version, minute, id)
      )`);
    await q.query('CREATE INDEX buckets_minute_idx ON monitoring.buckets (minute)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE monitoring.buckets');
  }
}
