import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The prediction log and feedback (schema `inference`). The log is range-partitioned by day on
 * `created_at`: retention drops whole partitions (no bulk DELETE, no bloat) and the monitoring
 * queries read only the days they need. The service creates partitions ahead of time; the
 * primary key includes the partition key (PostgreSQL requires it) so a retried batch insert can
 * skip rows that already made it (ON CONFLICT DO NOTHING). Feedback has no foreign key: it may
 * arrive before the prediction's batch is flushed, and outlives dropped partitions.
 */
export class InferenceTables1764100005000 implements MigrationInterface {
  name = 'InferenceTables1764100005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inference.predictions (
        id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        model text NOT NULL,
        version integer NOT NULL,
        alias text,
        caller text NOT NULL,
        features jsonb NOT NULL,
        output jsonb NOT NULL,
        latency_ms real NOT NULL,
        CONSTRAINT predictions_pkey PRIMARY KEY (id, created_at)
      ) PARTITION BY RANGE (created_at)`);
    await q.query('CREATE INDEX predictions_id_idx ON inference.predictions (id)');
    await q.query('CREATE INDEX predictions_model_time_idx ON inference.predictions (model, version, created_at)');
    await q.query(`
      CREATE TABLE inference.feedback (
        prediction_id uuid PRIMARY KEY,
        model text NOT NULL,
        version integer NOT NULL,
        label jsonb NOT NULL,
        given_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX feedback_model_idx ON inference.feedback (model, version, updated_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE inference.feedback');
    // Drops every partition with it.
    await q.query('DROP TABLE inference.predictions');
  }
}
