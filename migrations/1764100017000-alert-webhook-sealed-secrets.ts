import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SecretBox } from '../src/common/sealed-secrets';
import { shownUrl } from '../src/monitoring/alerts/webhooks/webhook-address';
import { SECRET_CONTEXT, URL_CONTEXT } from '../src/monitoring/alerts/webhooks/webhook-sealing';

/**
 * Issue #20: the admin-managed webhooks' signing secrets and URLs (a Slack or Teams URL is a
 * credential) sealed at rest with AES-256-GCM (src/common/sealed-secrets.ts) under
 * ALERT_WEBHOOK_SECRET_KEY, or the key derived from the JWT secret when it is unset, read from
 * the environment the migration runs in. `url_shown` keeps the scheme and host for the answers.
 * Down opens them again into the plain columns (with the same keys).
 */
export class AlertWebhookSealedSecrets1764100017000 implements MigrationInterface {
  name = 'AlertWebhookSealedSecrets1764100017000';

  async up(q: QueryRunner): Promise<void> {
    const box = SecretBox.fromEnv(process.env);
    await q.query(
      'ALTER TABLE monitoring.alert_webhooks ADD COLUMN url_sealed text, ADD COLUMN url_shown text, ADD COLUMN secret_sealed text',
    );
    const rows = (await q.query('SELECT id, url, secret FROM monitoring.alert_webhooks')) as {
      id: string;
      url: string;
      secret: string;
    }[];
    for (const r of rows)
      await q.query(
        'UPDATE monitoring.alert_webhooks SET url_sealed = $2, url_shown = $3, secret_sealed = $4 WHERE id = $1',
        [r.id, box.seal(r.url, URL_CONTEXT), shownUrl(r.url), box.seal(r.secret, SECRET_CONTEXT)],
      );
    await q.query(`ALTER TABLE monitoring.alert_webhooks
      ALTER COLUMN url_sealed SET NOT NULL, ALTER COLUMN url_shown SET NOT NULL, ALTER COLUMN secret_sealed SET NOT NULL,
      DROP COLUMN url, DROP COLUMN secret`);
  }

  async down(q: QueryRunner): Promise<void> {
    const box = SecretBox.fromEnv(process.env);
    await q.query('ALTER TABLE monitoring.alert_webhooks ADD COLUMN url text, ADD COLUMN secret text');
    const rows = (await q.query('SELECT id, url_sealed, secret_sealed FROM monitoring.alert_webhooks')) as {
      id: string;
      url_sealed: string;
      secret_sealed: string;
    }[];
    for (const r of rows)
      await q.query('UPDATE monitoring.alert_webhooks SET url = $2, secret = $3 WHERE id = $1', [
        r.id,
        box.open(r.url_sealed, URL_CONTEXT),
        box.open(r.secret_sealed, SECRET_CONTEXT),
      ]);
    await q.query(`ALTER TABLE monitoring.alert_webhooks
      ALTER COLUMN url SET NOT NULL, ALTER COLUMN secret SET NOT NULL,
      DROP COLUMN url_sealed, DROP COLUMN url_shown, DROP COLUMN secret_sealed`);
  }
}
