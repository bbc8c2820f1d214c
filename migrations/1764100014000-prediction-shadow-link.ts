import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `inference.predictions.shadow_of`: on a shadow's record, the id of the prediction it shadows (the
 * answer the caller got, production or canary), so monitoring compares the two on the same request
 * and the shadow inherits that prediction's feedback. Nullable, no default: adding it to the
 * partitioned table changes only the catalogue (every partition, present and future, gets it) and
 * rewrites no row. No index: the comparison reads a window's shadow rows through the (model,
 * created_at) index and looks each linked row up by its primary key.
 */
export class PredictionShadowLink1764100014000 implements MigrationInterface {
  name = 'PredictionShadowLink1764100014000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE inference.predictions ADD COLUMN shadow_of uuid');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE inference.predictions DROP COLUMN shadow_of');
  }
}
