import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `predictions_id_idx` (id) repeated the primary key (id, created_at), whose leading column
 * already serves lookups by id (feedback). Every logged prediction paid for both: one index fewer
 * makes the log's COPY cheaper.
 */
export class DropPredictionIdIndex1764100006000 implements MigrationInterface {
  name = 'DropPredictionIdIndex1764100006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX inference.predictions_id_idx');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX predictions_id_idx ON inference.predictions (id)');
  }
}
