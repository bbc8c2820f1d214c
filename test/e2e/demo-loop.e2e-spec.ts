import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_DEFAULTS, demoSettings } from '../../scripts/demo/settings';
import { runTraffic, type TrafficRun } from '../../scripts/traffic/index';
import { DEMO_ADMIN, runDemo } from '../support/demo';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The loop a new user sees after `bash scripts/demo.sh` (README, "Two commands"): the app with the
 * demo's monitoring settings (scripts/demo/settings.ts, as demo.sh starts it; its window, job
 * intervals and alert holds shortened here through the same variables, so the test takes about
 * two minutes instead of the demo's five), the demo's model, the background traffic demo.sh
 * starts, then `npm run traffic -- --model credit --drift`: the dataset drifts, the demo's drift
 * rule fires, and realised quality appears once an aligned window with labels has ended.
 */
const TEST_OVERRIDES = {
  MONITORING_WINDOW_MS: '60000',
  MONITORING_WINDOW_INTERVAL_MS: '5000',
  MONITORING_REALISED_INTERVAL_MS: '5000',
  ALERT_EVALUATION_INTERVAL_MS: '5000',
};
/** Generous: drift shows within a minute and a bit (the minute's buckets flush when it ends), the hold is 12 s. */
const BOUND_MS = 150_000;

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + BOUND_MS;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${BOUND_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('the demo loop: drift, an alert and realised quality within the demo settings', () => {
  let t: TestApp;
  let state: string;
  let scientist: Http;
  const runs: TrafficRun[] = [];
  const settings = demoSettings(TEST_OVERRIDES);

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: DEMO_ADMIN.email, ADMIN_PASSWORD: DEMO_ADMIN.password, ...settings });
    state = mkdtempSync(join(tmpdir(), 'demo-loop-'));
    const demo = await runDemo(t, state);
    if (demo.code !== 0) throw new Error(`the demo failed: ${demo.stderr}`);
    const login = await new Http(t.baseUrl).post('/auth/login', DEMO_ADMIN);
    scientist = new Http(t.baseUrl, login.body.accessToken);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(runs.map((r) => r.stop()));
    if (state) rmSync(state, { recursive: true, force: true });
    await t?.close();
  });

  const token = () => JSON.parse(readFileSync(join(state, 'api-tokens.json'), 'utf8'))[`${t.baseUrl} ${t.database}`];

  it("runs with the demo settings, the test's shorter window through the same variables", () => {
    expect(t.config.env).toMatchObject({ MONITORING_WINDOW_MS: 60_000, ALERT_EVALUATION_INTERVAL_MS: 5_000 });
    expect(t.config.env.MONITORING_REALISED_LOOKBACK_MS).toBe(Number(DEMO_DEFAULTS.MONITORING_REALISED_LOOKBACK_MS));
    const rules = JSON.parse(t.config.env.ALERT_RULES_DEFAULT);
    expect(rules.find((r: any) => r.name === 'demo-dataset-drift')).toMatchObject({
      windowSeconds: 120,
      forSeconds: 12,
    });
  });

  it('drifted traffic beside the background traffic: a drift verdict, the drift alert, realised quality', async () => {
    const base = { url: t.baseUrl, token: token().token, model: 'credit' };
    // What scripts/demo.sh runs in the background: 5 a second, labels 30 s later.
    const background = runTraffic({ ...base, rate: 5 });
    runs.push(background);
    await background.ready;
    // npm run traffic -- --model credit --drift, its labels 2 s after each answer.
    const drifted = runTraffic({ ...base, rate: 20, drift: true, feedbackDelayMs: 2000, seed: 2 });
    runs.push(drifted);
    await drifted.ready;
    const started = new Date();

    const verdict = await until('a dataset drift verdict in GET /monitoring/models/credit/drift', async () => {
      const res = await scientist.get('/monitoring/models/credit/drift?feature=&statistic=drift');
      expect(res.status).toBe(200);
      for (const series of res.body.series) expect([series.column, series.statistic]).toEqual(['', 'drift']);
      const points = res.body.series.flatMap((s: any) => s.points);
      return points.find((p: any) => p.verdict === 'drift');
    });
    // A window that holds drifted traffic: it ends after the drifted traffic started.
    expect(new Date(verdict.to).getTime()).toBeGreaterThan(started.getTime());

    const alert = await until('a firing demo-dataset-drift alert in GET /alerts', async () => {
      const res = await scientist.get('/alerts');
      expect(res.status).toBe(200);
      return res.body.items.find((a: any) => a.ruleName === 'demo-dataset-drift' && a.state === 'firing');
    });
    expect(alert).toMatchObject({ kind: 'drift_verdict', model: 'credit', subject: 'credit@v1' });
    expect(alert.evidence).toMatchObject({ measured: 'dataset drift verdict', result: { verdict: 'drift' } });
    // Held for the rule's 12 s before it fired.
    expect(Date.parse(alert.firedAt) - Date.parse(alert.pendingSince)).toBeGreaterThanOrEqual(12_000);

    const realised = await until('realised accuracy in GET /monitoring/models/credit/performance', async () => {
      const res = await scientist.get('/monitoring/models/credit/performance');
      expect(res.status).toBe(200);
      expect(res.body.windowSeconds).toBe(60);
      return res.body.windows.find((w: any) => typeof w.realised.accuracy?.value === 'number');
    });
    // An aligned 1-minute window, ended, its labels those the traffic sent, paired with the estimate.
    expect(Date.parse(realised.to) - Date.parse(realised.from)).toBe(60_000);
    expect(Date.parse(realised.to) % 60_000).toBe(0);
    expect(Date.parse(realised.to)).toBeLessThanOrEqual(Date.now());
    expect(realised.paired).toBe(true);
    expect(realised.realised.accuracy.value).toBeGreaterThan(0.5);
    expect(realised.realised.accuracy.value).toBeLessThanOrEqual(1);
    expect(realised.realised.accuracy.details.labelled).toBeGreaterThan(0);
  }, 200_000);
});
