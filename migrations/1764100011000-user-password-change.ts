import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #19, item 11: an admin's password reset makes the user change it at their next login. The
 * flag lives on the user's row, so every replica and every restart agrees on it; `password_changed_at`
 * tells an admin whether a password (the laptop default, say) was ever changed.
 */
export class UserPasswordChange1764100011000 implements MigrationInterface {
  name = 'UserPasswordChange1764100011000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE auth.users
        ADD COLUMN password_change_required boolean NOT NULL DEFAULT false,
        ADD COLUMN password_changed_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE auth.users DROP COLUMN password_changed_at, DROP COLUMN password_change_required');
  }
}
