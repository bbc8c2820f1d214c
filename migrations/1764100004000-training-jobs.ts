import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TrainingJobs1764100004000 implements MigrationInterface {
  name = 'TrainingJobs1764100004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE training.jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipe jsonb NOT NULL,
        dataset_version_id uuid NOT NULL,
        dataset_version integer NOT NULL,
        model_name text,
        promote_to text,
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        progress jsonb,
        attempts integer NOT NULL DEFAULT 0,
        error text,
        run_id uuid,
        model_version integer,
        result jsonb,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    // At most one live job per identical request: the partial unique index collapses duplicates.
    await q.query(
      `CREATE UNIQUE INDEX jobs_live_request_idx ON training.jobs (request_hash) WHERE state IN ('queued', 'running')`,
    );
    await q.query('CREATE INDEX jobs_created_at_idx ON training.jobs (created_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE training.jobs');
  }
}
