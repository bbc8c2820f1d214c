import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../src/common/sealed-secrets';
import { DatasetsService } from '../../src/data/datasets.service';
import { CsvImportService } from '../../src/data/import/csv-import.service';
import { EventBus } from '../../src/events';
import { AlertChanged, AlertEvaluator, DATASET_COLUMN, DRIFT_STATISTIC, MonitoringResults } from '../../src/monitoring';
import { TrainingJobsService } from '../../src/training/training-jobs.service';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { parsePrometheusText } from '../support/prometheus-text';
import { startTestApp, type TestApp } from '../support/test-app';
import { importCsv, waitForJob } from '../support/training';
import { eventually, startReceiver, type ReceivedDelivery } from '../support/webhook-receiver';

const CONFIG_SECRET = 'config-webhook-secret-0123456789';
const SEALING_KEY = randomBytes(32).toString('base64');
const HOUR = 3_600_000;

/** The receiver's check, as README "Alerts" shows it: HMAC of `<timestamp>.<raw body>`, compared in constant time. */
function validSignature(d: ReceivedDelivery, secret: string): boolean {
  const timestamp = String(d.headers['x-mlapi-timestamp']);
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${d.body}`).digest('hex')}`);
  const given = Buffer.from(String(d.headers['x-mlapi-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const events = (r: ReceivedDelivery[]) => r.map((d) => String(d.headers['x-mlapi-event']));

describe('alerts: rules, evaluation, signed webhooks and alert-started retraining', () => {
  let t: TestApp;
  let admin: Http;
  let scientist: Http;
  let steady: Awaited<ReturnType<typeof startReceiver>>;
  let flaky: Awaited<ReturnType<typeof startReceiver>>;
  let flakySecret: string;
  let evaluator: AlertEvaluator;

  beforeAll(async () => {
    steady = await startReceiver();
    // Down for its first two requests: the firing is delivered at the third attempt.
    flaky = await startReceiver((n) => (n < 2 ? 500 : 200));
    t = await startTestApp({
      ALERT_RULES_DEFAULT: 'builtin',
      // Evaluations are driven by the test (the repeatable job would add its own at the hour).
      ALERT_EVALUATION_INTERVAL_MS: String(HOUR),
      ALERT_WEBHOOKS: `json=${steady.url}`,
      ALERT_WEBHOOK_SECRET: CONFIG_SECRET,
      ALERT_WEBHOOK_SECRET_KEY: SEALING_KEY,
      ALERT_WEBHOOK_BACKOFF_MS: '300',
      ALERT_WEBHOOK_ATTEMPTS: '5',
    });
    admin = new Http(t.baseUrl, await tokenFor(t, 'admin'));
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    evaluator = t.app.get(AlertEvaluator);
  });
  afterAll(async () => {
    await t.close();
    await steady.close();
    await flaky.close();
  });

  it('seeds the built-in rules once, windows stretched to the evaluation interval, and schedules the evaluation', async () => {
    const rules = await admin.get('/alerts/rules');
    expect(rules.status).toBe(200);
    expect(rules.body.map((r: any) => r.name)).toEqual([
      'dataset-drift',
      'error-rate',
      'latency-p99',
      'missing-values',
      'prediction-log-drops',
      'training-failures',
    ]);
    expect(rules.body.every((r: any) => r.windowSeconds >= 3600 && r.createdBy === 'default')).toBe(true);
    // Deleted by an admin, a default rule is not seeded again.
    const latency = rules.body.find((r: any) => r.name === 'latency-p99');
    expect((await admin.delete(`/alerts/rules/${latency.id}`)).status).toBe(204);
    const { AlertRulesService } = await import('../../src/monitoring/alerts/alert-rules.service');
    expect(await t.app.get(AlertRulesService).seedDefaults()).toEqual([]);
    expect((await admin.get('/alerts/rules')).body.map((r: any) => r.name)).not.toContain('latency-p99');
    const queue = t.app.get<Queue>(getQueueToken('alert-evaluation'));
    expect((await queue.getRepeatableJobs()).map((r) => [r.name, Number(r.every)])).toEqual([['evaluate', HOUR]]);
    // Only the defaults we want in this file stay.
    for (const r of rules.body) if (r.name !== 'latency-p99') await admin.delete(`/alerts/rules/${r.id}`);
  });

  it('refuses bad rules with the field and the reason', async () => {
    const base = { name: 'x', kind: 'error_rate', severity: 'warning', windowSeconds: 3600, forSeconds: 0 };
    const cases: [object, string, RegExp][] = [
      [{ ...base, kind: 'cpu_load' }, 'kind', /must be one of the following values/],
      [{ ...base, params: { floor: 0.5 } }, 'params.floor', /not a param of error_rate; it takes: threshold/],
      [{ ...base, windowSeconds: 60 }, 'windowSeconds', /at least the evaluation interval/],
      [{ ...base, retrain: true }, 'retrain', /only drift and quality rules/],
      [{ ...base, kind: 'latency_p99' }, 'params.thresholdMs', /is required/],
      [{ ...base, severity: 'panic' }, 'severity', /must be one of/],
    ];
    for (const [body, field, message] of cases) {
      const res = await admin.post('/alerts/rules', body);
      expect([res.status, res.body.code]).toEqual([422, 'common.validation_failed']);
      expect(res.body.details).toContainEqual({ field, message: expect.stringMatching(message) });
    }
    const created = await admin.post('/alerts/rules', base);
    expect(created.status).toBe(201);
    expect((await admin.post('/alerts/rules', base)).body.code).toBe('monitoring.alert_rule_name_taken');
    const patched = await admin.patch(`/alerts/rules/${created.body.id}`, { params: { threshold: 0.2 } });
    expect(patched.body.params).toEqual({ threshold: 0.2, minRequests: 20, includeInvalid: false });
    const bad = await admin.patch(`/alerts/rules/${created.body.id}`, { kind: 'log_drops', model: 'credit' });
    expect(bad.body.details).toContainEqual({ field: 'model', message: expect.stringMatching(/whole prediction log/) });
    expect((await admin.delete(`/alerts/rules/${created.body.id}`)).status).toBe(204);
    expect((await admin.delete(`/alerts/rules/${created.body.id}`)).body.code).toBe('monitoring.alert_rule_not_found');
  });

  it('lets only an admin add webhooks, answers a made secret once, and refuses metadata addresses', async () => {
    expect((await scientist.post('/alerts/webhooks', { name: 'x', url: flaky.url, format: 'json' })).status).toBe(403);
    const metadata = await admin.post('/alerts/webhooks', {
      name: 'imds',
      url: 'http://169.254.169.254/latest/meta-data',
      format: 'json',
    });
    expect(metadata.status).toBe(422);
    expect(metadata.body.details[0]).toEqual({ field: 'url', message: expect.stringMatching(/metadata/) });
    expect(
      (await admin.post('/alerts/webhooks', { name: 'ftp', url: 'ftp://x/y', format: 'json' })).body.details[0].field,
    ).toBe('url');
    const created = await admin.post('/alerts/webhooks', { name: 'flaky-slack', url: flaky.url, format: 'slack' });
    expect(created.status).toBe(201);
    flakySecret = created.body.secret;
    expect(flakySecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const listed = await admin.get('/alerts/webhooks');
    expect(listed.body).toEqual([expect.objectContaining({ name: 'flaky-slack', format: 'slack', enabled: true })]);
    expect(JSON.stringify(listed.body)).not.toContain(flakySecret);
    // The URL can be the receiver's credential (Slack, Teams): answered by scheme and host only.
    const host = new URL(flaky.url).host;
    expect([created.body.url, listed.body[0].url]).toEqual([`http://${host}/…`, `http://${host}/…`]);
    expect(JSON.stringify(listed.body)).not.toContain('/hook');
  });

  it('keeps the secret and URL of a webhook sealed in PostgreSQL (AES-256-GCM under ALERT_WEBHOOK_SECRET_KEY), named by key id', async () => {
    const [row] = await t.app
      .get(DataSource)
      .query(`SELECT * FROM monitoring.alert_webhooks WHERE name = 'flaky-slack'`);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(flakySecret);
    expect(stored).not.toContain(flaky.url);
    expect(stored).not.toContain('/hook');
    const keyId = SecretBox.fromEnv({ ALERT_WEBHOOK_SECRET_KEY: SEALING_KEY }).currentKeyId;
    expect(row).toMatchObject({
      secret_sealed: expect.stringMatching(new RegExp(`^v1\\.${keyId}\\.`)),
      url_sealed: expect.stringMatching(new RegExp(`^v1\\.${keyId}\\.`)),
      url_shown: `http://${new URL(flaky.url).host}/…`,
    });
    expect(Object.keys(row)).not.toEqual(expect.arrayContaining(['secret']));
  });

  it('fires a training-failure rule for a job that really failed, delivers it signed to every target, and resolves', async () => {
    // Three rows cannot be split into training, validation and test parts: the job fails for good.
    const ds = await t.app.get(DatasetsService).create({ name: 'tiny', target: 'y', createdBy: 'test' });
    await t.app
      .get(CsvImportService)
      .run({ datasetId: ds.id, source: Readable.from([Buffer.from('x,y\n1,a\n2,b\n3,a\n')]), createdBy: 'test' });
    const submitted = await scientist.post('/training-jobs', { dataset: 'tiny', task: 'binary', positiveClass: 'a' });
    expect(submitted.status).toBe(202);
    const failed = await waitForJob(scientist, submitted.body.id);
    expect(failed.state).toBe('failed');

    const rule = await admin.post('/alerts/rules', {
      name: 'training-broken',
      kind: 'training_failures',
      severity: 'critical',
      windowSeconds: 3600,
      forSeconds: 0,
    });
    expect(rule.status).toBe(201);
    const firing = async () =>
      parsePrometheusText((await admin.get('/metrics')).body as string).value('mlapi_alerts_firing', {
        rule: 'training-broken',
        severity: 'critical',
      });
    expect(await firing()).toBe(0);
    const heard: string[] = [];
    const unsubscribe = t.app.get(EventBus).subscribe(AlertChanged, (e) => void heard.push(`${e.ruleName}:${e.state}`));
    const firstEval = await evaluator.evaluate(new Date());
    expect(firstEval?.fired).toHaveLength(1);
    const alertId = firstEval!.fired[0];

    const alert = await scientist.get(`/alerts/${alertId}`);
    expect(alert.body).toMatchObject({
      state: 'firing',
      kind: 'training_failures',
      severity: 'critical',
      value: 1,
      threshold: 0,
    });
    expect(alert.body.evidence).toMatchObject({ measured: 'failed training jobs', comparator: '>' });
    expect(alert.body.evidence.failedJobs).toEqual([
      expect.objectContaining({ id: failed.id, error: expect.stringMatching(/too few rows/) }),
    ]);
    expect((await scientist.get('/alerts?state=firing')).body.items.map((a: any) => a.id)).toEqual([alertId]);
    expect(await firing()).toBe(1);

    // The steady receiver has it at once; the flaky one is retried with backoff, holding nobody up.
    await eventually(() => flaky.received.some((d) => d.status === 200), 'the flaky receiver to get the firing');
    expect(steady.received).toHaveLength(1);
    expect(steady.received[0].at).toBeLessThan(flaky.received[1].at);
    expect(flaky.received.map((d) => d.status)).toEqual([500, 500, 200]);
    expect(events(flaky.received)).toEqual(['alert.firing', 'alert.firing', 'alert.firing']);
    expect(validSignature(steady.received[0], CONFIG_SECRET)).toBe(true);
    expect(validSignature(steady.received[0], flakySecret)).toBe(false);
    for (const d of flaky.received) expect(validSignature(d, flakySecret)).toBe(true);
    const json = JSON.parse(steady.received[0].body);
    expect(json).toMatchObject({
      type: 'mlapi.alert',
      event: 'firing',
      alert: { id: alertId, rule: { name: 'training-broken' } },
    });
    const slack = JSON.parse(flaky.received[2].body);
    expect(slack.text).toMatch(/^FIRING \[critical\] training-broken on training: 1 > 0/);
    expect(slack.blocks[0].type).toBe('header');

    // Evaluated again while it holds: still one alert, no second delivery.
    expect((await evaluator.evaluate(new Date()))?.fired).toEqual([]);
    // Two hours on, the failure is out of the window: resolved, and each target hears it once.
    const later = await evaluator.evaluate(new Date(Date.now() + 2 * HOUR));
    expect(later?.resolved).toEqual([alertId]);
    const resolved = await scientist.get(`/alerts/${alertId}`);
    expect(resolved.body).toMatchObject({ state: 'resolved', resolvedAt: expect.any(String) });
    expect(resolved.body.evidence.resolvedWith).toMatchObject({ measured: 'failed training jobs' });
    expect(await firing()).toBe(0);
    await eventually(() => steady.received.length === 2 && flaky.received.length === 4, 'the resolved deliveries');
    expect(events(steady.received)).toEqual(['alert.firing', 'alert.resolved']);
    expect(validSignature(steady.received[1], CONFIG_SECRET)).toBe(true);
    expect(validSignature(flaky.received[3], flakySecret)).toBe(true);
    expect(JSON.parse(steady.received[1].body).event).toBe('resolved');
    expect(heard).toEqual(['training-broken:firing', 'training-broken:resolved']);
    // Deliveries and their retries logged, never with the stored target's secret or URL path.
    expect(t.logs()).toContain('alert webhook delivered');
    expect(t.logs()).not.toContain(flakySecret);
    expect(t.logs()).not.toContain(flaky.url);
    unsubscribe();
    await admin.delete(`/alerts/rules/${rule.body.id}`);
  });

  it('a drift result fires a retraining rule: exactly one job, whose version becomes challenger, not production', async () => {
    await importCsv(t, 'credit', 'data/credit_data.csv', 'Status');
    const first = await scientist.post('/training-jobs', {
      dataset: 'credit',
      task: 'binary',
      positiveClass: 'bad',
      seed: 3,
      hyperparameters: { epochs: 2 },
      promoteTo: 'production',
    });
    expect((await waitForJob(scientist, first.body.id)).modelVersion).toBe(1);

    const now = new Date();
    await t.app.get(MonitoringResults).write([
      {
        model: 'credit',
        version: 1,
        windowStart: new Date(now.getTime() - HOUR - 60_000),
        windowEnd: new Date(now.getTime() - 60_000),
        column: DATASET_COLUMN,
        statistic: DRIFT_STATISTIC,
        value: 0.6,
        verdict: 'drift',
        details: { share: 0.6, threshold: 0.5 },
      },
    ]);
    const rule = await admin.post('/alerts/rules', {
      name: 'credit-drift',
      kind: 'drift_verdict',
      model: 'credit',
      severity: 'warning',
      windowSeconds: 3600,
      forSeconds: 0,
      retrain: true,
    });
    expect(rule.status).toBe(201);
    const once = await evaluator.evaluate(now);
    const twice = await evaluator.evaluate(new Date(now.getTime() + 1000));
    expect(once?.fired).toHaveLength(1);
    expect(twice?.fired).toEqual([]);
    const alert = (await scientist.get(`/alerts/${once!.fired[0]}`)).body;
    expect(alert).toMatchObject({ subject: 'credit@v1', state: 'firing', value: 0.6, threshold: 0.5 });
    expect(alert.evidence.result).toMatchObject({ verdict: 'drift', statistic: 'drift', version: 1 });
    expect(alert.evidence.retrain).toEqual({ jobId: alert.retrainJobId, started: true });

    const [jobs] = await t.app.get(TrainingJobsService).list(100, 0);
    const alertJobs = jobs.filter((j) => j.createdBy.startsWith('alert:'));
    expect(alertJobs.map((j) => j.id)).toEqual([alert.retrainJobId]);
    const retrained = await waitForJob(scientist, alert.retrainJobId);
    expect(retrained.state).toBe('succeeded');
    expect(Object.keys(retrained.result.promotions)).toEqual(['challenger']);
    expect((await scientist.get('/models/credit/aliases/challenger')).body.version.version).toBe(2);
    expect((await scientist.get('/models/credit/aliases/production')).body.version.version).toBe(1);
  });
});
