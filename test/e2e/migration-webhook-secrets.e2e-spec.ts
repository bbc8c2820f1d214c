import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations';
import { AlertWebhookSealedSecrets1764100017000 } from '../../migrations/1764100017000-alert-webhook-sealed-secrets';
import { SecretBox } from '../../src/common/sealed-secrets';
import { SECRET_CONTEXT, URL_CONTEXT } from '../../src/monitoring/alerts/webhooks/webhook-sealing';
import { close, openDatabase } from '../support/migration-database';

const KEY = randomBytes(32).toString('base64');
const SLACK = 'https://hooks.slack.com/services/T000/B000/the-url-token';
const TEAMS = 'https://x.logic.azure.com/workflows/1/triggers/manual/paths/invoke?sig=the-sig';
const columns = async (ds: DataSource) =>
  (
    await ds.query<{ column_name: string }[]>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'monitoring' AND table_name = 'alert_webhooks' ORDER BY column_name`,
    )
  ).map((c) => c.column_name);

/** Migration 1764100017000 on stored webhook targets: up seals each URL and secret, down opens them again. */
describe('webhook secrets migration on stored targets (real PostgreSQL)', () => {
  let opened: { db: string; ds: DataSource };
  let ds: DataSource;
  const env = process.env.ALERT_WEBHOOK_SECRET_KEY;

  beforeAll(async () => {
    // The migration reads its key from the environment it runs in, as the app's start or the CLI does.
    process.env.ALERT_WEBHOOK_SECRET_KEY = KEY;
    opened = await openDatabase(
      ALL_MIGRATIONS.slice(0, ALL_MIGRATIONS.indexOf(AlertWebhookSealedSecrets1764100017000) + 1),
    );
    ds = opened.ds;
  });
  afterAll(async () => {
    process.env.ALERT_WEBHOOK_SECRET_KEY = env;
    await close(opened);
  });

  it('seals every stored URL and secret under the configured key, and down gives them back as they were', async () => {
    await ds.undoLastMigration(); // the plain columns, as before
    const plain = [
      { name: 'ops-slack', url: SLACK, format: 'slack', secret: 'slack-signing-secret-0123' },
      { name: 'ops-teams', url: TEAMS, format: 'teams', secret: 'teams-signing-secret-0123' },
    ];
    for (const w of plain)
      await ds.query(
        `INSERT INTO monitoring.alert_webhooks (name, url, format, secret, enabled, created_by) VALUES ($1, $2, $3, $4, true, 'user:x')`,
        [w.name, w.url, w.format, w.secret],
      );

    await ds.runMigrations();
    expect(await columns(ds)).not.toEqual(expect.arrayContaining(['secret']));
    expect(await columns(ds)).not.toEqual(expect.arrayContaining(['url']));
    const sealed = await ds.query<{ name: string; url_sealed: string; url_shown: string; secret_sealed: string }[]>(
      'SELECT name, url_sealed, url_shown, secret_sealed FROM monitoring.alert_webhooks ORDER BY name',
    );
    const box = SecretBox.fromEnv({ ALERT_WEBHOOK_SECRET_KEY: KEY });
    expect(JSON.stringify(sealed)).not.toMatch(/the-url-token|the-sig|signing-secret/);
    expect(
      sealed.map((r) => ({
        name: r.name,
        keyId: r.secret_sealed.split('.')[1],
        url: box.open(r.url_sealed, URL_CONTEXT),
        shown: r.url_shown,
        secret: box.open(r.secret_sealed, SECRET_CONTEXT),
      })),
    ).toEqual([
      {
        name: 'ops-slack',
        keyId: box.currentKeyId,
        url: SLACK,
        shown: 'https://hooks.slack.com/…',
        secret: plain[0].secret,
      },
      {
        name: 'ops-teams',
        keyId: box.currentKeyId,
        url: TEAMS,
        shown: 'https://x.logic.azure.com/…',
        secret: plain[1].secret,
      },
    ]);

    await ds.undoLastMigration();
    expect(await ds.query('SELECT name, url, format, secret FROM monitoring.alert_webhooks ORDER BY name')).toEqual(
      plain,
    );
    await ds.runMigrations(); // leaves the database as every other test finds it
  });
});
