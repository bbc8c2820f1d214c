import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #18: a running job records the worker (`host:pid`) that claimed it, so a reader can tell
 * from the heartbeats that its worker is gone. The partial index serves the workers' reconciler,
 * which reads only live (queued or running) jobs by the time of their last change.
 */
export class TrainingJobWorker1764100010000 implements MigrationInterface {
  name = 'TrainingJobWorker1764100010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE training.jobs ADD COLUMN worker_id text');
    await q.query(
      `CREATE INDEX jobs_live_updated_at_idx ON training.jobs (updated_at) WHERE state IN ('queued', 'running')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX training.jobs_live_updated_at_idx');
    await q.query('ALTER TABLE training.jobs DROP COLUMN worker_id');
  }
}
