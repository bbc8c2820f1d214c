import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change of a feedback label after the first (issue #17): the first label stands, and only
 * its giver or an admin may change it, so each change is kept with the old and new label, who and
 * when. Like feedback it has no foreign key to the log: it outlives dropped partitions.
 */
export class FeedbackAudit1764100009000 implements MigrationInterface {
  name = 'FeedbackAudit1764100009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inference.feedback_audit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        prediction_id uuid NOT NULL,
        model text NOT NULL,
        version integer NOT NULL,
        old_label jsonb NOT NULL,
        new_label jsonb NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX feedback_audit_prediction_idx ON inference.feedback_audit (prediction_id, changed_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE inference.feedback_audit');
  }
}
