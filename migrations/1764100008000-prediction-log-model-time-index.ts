import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The prediction log's BRIN on created_at becomes a btree on (model, created_at). Monitoring reads
 * one model's window at a time (PredictionReader): through the BRIN every read went through all
 * models' rows of the window, and through the whole partition where ranges were not summarized
 * yet (the latest rows, until a vacuum). The btree costs each logged row one more index entry;
 * bench:log-read weighs the two (docs/benchmarks.md, "Prediction log reads"). Building it blocks
 * writes to the log until the migration commits; the log's buffer holds the rows meanwhile.
 */
export class PredictionLogModelTimeIndex1764100008000 implements MigrationInterface {
  name = 'PredictionLogModelTimeIndex1764100008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX inference.predictions_created_brin');
    await q.query('CREATE INDEX predictions_model_created_idx ON inference.predictions (model, created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX inference.predictions_model_created_idx');
    await q.query('CREATE INDEX predictions_created_brin ON inference.predictions USING brin (created_at)');
  }
}
