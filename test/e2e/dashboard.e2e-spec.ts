import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { UsersService } from '../../src/auth/services/users.service';
import { BucketRecorder } from '../../src/monitoring';
import { AlertEvaluator } from '../../src/monitoring/alerts/alert-evaluator.service';
import { RealisedQualityJob } from '../../src/monitoring/quality/realised-quality.job';
import { buildDashboard } from '../../scripts/build-dashboard';
import { runTraffic, type TrafficRun, type TrafficSummary } from '../../scripts/traffic/index';
import { fmt } from '../../dashboards/web/lib/format';
import { TEST_PASSWORD, tokenFor } from '../support/auth';
import { launchChromium } from '../support/browser';
import { Http } from '../support/http';
import { creditData, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { REPO_ROOT } from '../support/repo-root';
import { startTestApp, type TestApp } from '../support/test-app';
import { importCsv } from '../support/training';

const MODEL = 'credit';
const HOUR = 3_600_000;
/** Predictions of the normal phase and of the drifted one: each a window with a verdict (MIN_WINDOW_ROWS). */
const NORMAL = 120;
const DRIFTED = 200;
const OUTPUT = join(REPO_ROOT, 'test-output');

/** Polls `check` (small steps) until it answers something other than undefined. */
async function until<T>(what: string, check: () => Promise<T | undefined>, tries = 600, everyMs = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/**
 * The whole loop in real headless Chromium: a logged-out page goes to the login, a consumer is
 * turned away, and an admin watches the page while the traffic generator (in process, through
 * HTTP) sends predictions with feedback: the traffic charts move from the live stream without a
 * reload, drift, data quality and estimates fill as windows are written, drifted traffic marks
 * the heat map and fires an alert, realised quality, the training job and the alias history show
 * their rows; every figure is checked against the API's answer.
 */
describe('the dashboard in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let scientist: Http;
  let predictToken: string;
  const admin = 'dash-admin@example.com';
  const consumer = 'dash-consumer@example.com';

  beforeAll(async () => {
    browser = await launchChromium();
    await buildDashboard(); // esbuild, ~0.1 s: the page serves what dashboards/web holds now
    t = await startTestApp({
      INFERENCE_LOG_FLUSH_MS: '100',
      DASHBOARD_TRAFFIC_TICK_MS: '500',
      MONITORING_MIN_WINDOW_ROWS: '60',
      // Realised quality on one-minute windows, the last ten: a labelled minute shows once it ends.
      MONITORING_WINDOW_MS: '60000',
      MONITORING_REALISED_LOOKBACK_MS: '600000',
      MONITORING_REALISED_MIN_LABELLED: '10',
      // The jobs run when the test says (as in alerts.e2e and monitoring-windows.e2e), not on a timer.
      MONITORING_WINDOW_INTERVAL_MS: String(HOUR),
      MONITORING_REALISED_INTERVAL_MS: String(HOUR),
      ALERT_EVALUATION_INTERVAL_MS: String(HOUR),
      ALERT_RULES_DEFAULT: 'none',
    });
    const users = t.app.get(UsersService);
    await users.create(admin, TEST_PASSWORD, 'admin');
    await users.create(consumer, TEST_PASSWORD, 'consumer');
    expect(await registerBundle(t.app, MODEL, await trainCreditBundle(creditData(400), 1, 2, 'logistic'))).toBe(1);
    await moveAlias(t.app, MODEL, 'production', 1);
    await importCsv(t, 'animals', 'test/fixtures/training/two-classes.csv', 'outcome');
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    predictToken = await tokenFor(t, 'consumer'); // predict and feedback: what the generator needs
    // A dataset-level drift rule that fires at once (no hold): the page's alert.
    const rule = await new Http(t.baseUrl, await tokenFor(t, 'admin')).post('/alerts/rules', {
      name: 'credit-drift',
      kind: 'drift_verdict',
      model: MODEL,
      severity: 'warning',
      windowSeconds: 3600,
      forSeconds: 0,
    });
    expect(rule.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${t.baseUrl}/dashboard/login`);
    await page.fill('#email', email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${t.baseUrl}/dashboard`), page.click('button[type=submit]')]);
  }

  /** A data-* attribute of an element as a number, once it has one. */
  async function numberOf(page: Page, selector: string, attribute: string): Promise<number> {
    await page.waitForSelector(`${selector}[data-${attribute}]`);
    return Number(await page.locator(selector).first().getAttribute(`data-${attribute}`));
  }

  /** Waits until the page's attribute satisfies `ok` (the page moves by itself: no reload). */
  async function pageUntil(page: Page, selector: string, attribute: string, ok: (n: number) => boolean) {
    return until(`${selector} data-${attribute}`, async () => {
      const raw = await page.locator(selector).first().getAttribute(`data-${attribute}`);
      return raw !== null && ok(Number(raw)) ? Number(raw) : undefined;
    });
  }

  /** Sends traffic until `count` predictions were answered, then stops it (labels already due sent). */
  async function trafficOf(count: number, drift: boolean): Promise<{ from: Date; summary: TrafficSummary }> {
    const from = new Date();
    const run: TrafficRun = runTraffic({
      url: t.baseUrl,
      token: predictToken,
      model: MODEL,
      rate: 40,
      drift,
      feedbackDelayMs: 200,
      feedbackEveryMs: 200,
      reportEveryMs: 60_000,
      seed: drift ? 2 : 1,
    });
    await run.ready;
    await until(`${count} predictions`, async () => (run.summary().ok >= count ? true : undefined));
    const summary = await run.stop({ drainFeedback: true });
    expect(summary).toMatchObject({ errors: 0, feedback: { failed: 0, pending: 0 } });
    return { from, summary };
  }

  /** A window of exactly those predictions, computed from the log now (as POST …/drift does for anyone). */
  async function windowOf(from: Date, summary: TrafficSummary): Promise<{ to: string; drift: string }> {
    const to = new Date(Date.now() + 1);
    return until('the log to hold the predictions', async () => {
      const res = await scientist.post(`/monitoring/models/${MODEL}/drift`, {
        from: from.toISOString(),
        to: to.toISOString(),
        source: 'log',
      });
      expect(res.status).toBe(200);
      const v = res.body.versions[0];
      return v?.rows === summary.ok ? { to: res.body.window.to, drift: v.drift } : undefined;
    });
  }

  it('sends a logged-out visitor to the login page', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${t.baseUrl}/dashboard`);
    expect(page.url()).toBe(`${t.baseUrl}/dashboard/login`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(res?.headers()['content-security-policy']).not.toContain('unsafe-inline');
    await expect(page.locator('h1').textContent()).resolves.toBe('ml-api monitoring');
    await page.close();
  });

  it('tells a consumer that the role cannot open it', async () => {
    const page = await browser.newPage();
    const answers: number[] = [];
    page.on('response', (r) => {
      if (r.url() === `${t.baseUrl}/dashboard`) answers.push(r.status());
    });
    await signIn(page, consumer);
    expect(answers).toContain(403);
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain(
      'The role consumer cannot open the dashboard',
    );
    await page.close();
  });

  it('fills every panel while traffic runs, live, and shows drift and its alert', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      // An alias not set yet (canary until it moves, shadow) answers 404 to its history, which Chromium logs; the panel expects it.
      if (m.type() === 'error' && !/\/aliases\/(canary|shadow)\/history$/.test(m.location().url))
        problems.push(m.text());
    });
    const trafficReads: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes(`/monitoring/models/${MODEL}/traffic?`)) trafficReads.push(r.url());
    });
    await signIn(page, admin);
    // The session is in HttpOnly cookies: the page's script sees only the CSRF cookie.
    const scriptCookies = await page.evaluate<string>('document.cookie');
    expect(scriptCookies).toContain('mlapi_csrf=');
    expect(scriptCookies).not.toContain('mlapi_session');
    await page.waitForSelector('#model option', { state: 'attached' });
    await expect(page.locator('#model option').allTextContents()).resolves.toEqual([MODEL]);
    await expect(page.locator('#range option').allTextContents()).resolves.toEqual([
      'last 15 min',
      'last 1 h',
      'last 24 h',
      'last 7 d',
    ]);

    // Before any traffic: the live stream is open, and the empty panels say what to do.
    await page.locator('#live[data-status=live]').waitFor();
    await page.waitForSelector('#traffic-body[data-state=empty]');
    await expect(page.locator('#traffic-body .empty').textContent()).resolves.toContain(
      `npm run traffic -- --model ${MODEL}`,
    );
    expect(await numberOf(page, '#drift-body', 'cells')).toBe(0);
    expect(await numberOf(page, '#alerts-body', 'rows')).toBe(0);
    expect(await numberOf(page, '#traffic-body', 'requests')).toBe(0);
    // Set on this document: still there at the end, so nothing below reloaded the page.
    await page.evaluate('window.__sameDocument = true');
    const readsBefore = trafficReads.length;

    // A training job while the page is open: its row comes through the stream's training events.
    const job = await scientist.post('/training-jobs', {
      dataset: 'animals',
      task: 'binary',
      positiveClass: 'bad',
      hyperparameters: { epochs: 2 },
    });
    expect(job.status).toBe(202);

    // The generator runs: traffic ticks add to the open minute's point, with no read of the range.
    const normal = trafficOf(NORMAL, false);
    const first = await pageUntil(page, '#traffic-body', 'requests', (n) => n > 0);
    await pageUntil(page, '#traffic-body', 'requests', (n) => n > first);
    expect(trafficReads.length).toBe(readsBefore);
    await expect(page.locator('#traffic-body').getAttribute('data-state')).resolves.toBe('data');
    const { from: normalFrom, summary: normalRun } = await normal;
    expect(normalRun.ok).toBeGreaterThanOrEqual(NORMAL);

    // A window of the normal traffic: the page hears `window` and redraws drift, quality and estimates.
    const normalWindow = await windowOf(normalFrom, normalRun);
    expect(normalWindow.drift).not.toBe('insufficient_data');
    await pageUntil(page, '#drift-body', 'cells', (n) => n > 0);
    await pageUntil(page, '#quality-body', 'rows', (n) => n > 0);
    await page.waitForSelector('#performance-body [data-chart=performance][data-points]');

    // Drifted traffic, its window: drifted cells on the heat map.
    const { from: driftFrom, summary: driftRun } = await trafficOf(DRIFTED, true);
    expect(driftRun.unknownCategories).toBeGreaterThan(0);
    const driftWindow = await windowOf(driftFrom, driftRun);
    expect(driftWindow.drift).toBe('drift');
    await pageUntil(page, '#drift-body', 'drifted', (n) => n > 0);
    await until('the heat map of the drifted window', async () =>
      (await page.locator('#drift-body table.heat').getAttribute('data-newest')) === driftWindow.to ? true : undefined,
    );

    // The alert rule fires on the drifted window: the page hears `alert` and lists it.
    const evaluation = await t.app.get(AlertEvaluator).evaluate(new Date());
    expect(evaluation?.fired).toHaveLength(1);
    await page.waitForSelector('#alerts-body li.alert.firing');
    const alerts = await scientist.get(`/alerts?model=${MODEL}`);
    expect(await numberOf(page, '#alerts-body', 'rows')).toBe(alerts.body.items.length);
    await expect(page.locator('#alerts-body li.alert.firing strong').first().textContent()).resolves.toContain(
      'credit-drift',
    );
    await page.locator('#alerts-body li.alert.firing a').first().click();
    await expect(page.locator('#alerts-body .evidence pre').first().textContent()).resolves.toContain(
      'dataset drift verdict',
    );

    // An alias move (canary) comes as `alias`: the history gains its row.
    await moveAlias(t.app, MODEL, 'canary', 1);
    await pageUntil(page, '#aliases-body', 'rows', (n) => n === 2);
    await expect(page.locator('#aliases-body tbody tr').first().textContent()).resolves.toContain('canary');

    // The training job's end, from its events.
    await page.waitForSelector(`#training-body .state.succeeded`);
    await expect(page.locator('#training-body tbody tr').first().textContent()).resolves.toContain('2/2');

    // Realised quality once the first labelled minute has ended (the job owns only ended windows).
    const realised = await until(
      'a realised-quality window',
      async () => {
        await t.app.get(RealisedQualityJob).run(new Date());
        const cmp = await scientist.get(
          `/monitoring/models/${MODEL}/comparison?from=${new Date(Date.now() - HOUR).toISOString()}`,
        );
        const v1 = cmp.body.windows?.[0]?.versions.find((v: { version: number }) => v.version === 1);
        return v1 && !v1.realisedInsufficient ? (v1.realised.accuracy as number) : undefined;
      },
      120,
      1000,
    );
    await until('the page to show realised accuracy', async () =>
      (await page.locator('#performance-body .comparison table tbody tr').first().textContent())?.includes(
        fmt(realised),
      )
        ? true
        : undefined,
    );

    // Every figure against the API's answer over the same range: the last 15 minutes, refetched by the
    // picker, once the open minute's buckets are written (as at shutdown; else at the minute's end).
    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);
    await page.selectOption('#range', '15m');
    await page.waitForFunction("location.hash.includes('range=15m')");
    await pageUntil(page, '#traffic-body', 'requests', (n) => n === normalRun.ok + driftRun.ok);
    // The page's own query: its span is exactly 15 minutes (a longer one gets slots of two minutes).
    const to = new Date();
    const span = `from=${new Date(to.getTime() - 15 * 60_000).toISOString()}&to=${to.toISOString()}&points=15`;
    const traffic = await scientist.get(`/monitoring/models/${MODEL}/traffic?${span}`);
    const apiRequests = (traffic.body.points as { requests: number }[]).reduce((n, p) => n + p.requests, 0);
    expect(apiRequests).toBe(normalRun.ok + driftRun.ok);
    expect(await numberOf(page, '#traffic-body [data-chart=rate]', 'points')).toBe(traffic.body.points.length);
    expect(await numberOf(page, '#traffic-body [data-chart=classes]', 'points')).toBe(traffic.body.points.length);

    const [colours, verdicts] = await Promise.all(
      ['jensen_shannon', 'drift'].map((s) => scientist.get(`/monitoring/models/${MODEL}/drift?${span}&statistic=${s}`)),
    );
    const features = (s: { column: string; version: number }) => s.column !== '' && s.version === 1;
    const cells = (colours.body.series as { column: string; version: number; points: unknown[] }[])
      .filter(features)
      .reduce((n, s) => n + s.points.length, 0);
    const drifted = (verdicts.body.series as { column: string; version: number; points: { verdict: string }[] }[])
      .filter(features)
      .reduce((n, s) => n + s.points.filter((p) => p.verdict === 'drift').length, 0);
    await pageUntil(page, '#drift-body', 'cells', (n) => n === cells);
    expect(await numberOf(page, '#drift-body', 'drifted')).toBe(drifted);
    expect(drifted).toBeGreaterThan(0);
    await expect(page.locator('#drift-body table.heat button.cell.drifted').count()).resolves.toBe(drifted);
    // Keyboard: a cell is a button; Enter opens the feature's live histogram over the training one.
    const cell = page.locator('#drift-body table.heat tbody td:last-child button.cell.drifted').first();
    const feature = (await cell.getAttribute('aria-label'))!.split(',')[0];
    await cell.focus();
    await page.keyboard.press('Enter');
    await page.locator(`#drift-body table.hist[data-feature="${feature}"]`).waitFor();
    await expect(page.locator('#drift-body table.hist tbody tr').count()).resolves.toBeGreaterThan(1);
    await expect(page.locator('#drift-body .histogram h3').textContent()).resolves.toMatch(
      new RegExp(`^${feature}: live \\([1-9]\\d*\\) over training \\([1-9]\\d*\\)`),
    );

    const quality = await scientist.get(`/monitoring/models/${MODEL}/data-quality?${span}`);
    const qualityColumns = new Set(
      (quality.body.series as { column: string; version: number }[]).filter(features).map((s) => s.column),
    );
    expect(await numberOf(page, '#quality-body', 'rows')).toBe(qualityColumns.size);
    const performance = await scientist.get(`/monitoring/models/${MODEL}/performance?${span}&windows=all`);
    const ends = new Set((performance.body.windows as { to: string }[]).map((w) => w.to));
    expect(await numberOf(page, '#performance-body [data-chart=performance]', 'points')).toBe(ends.size);
    expect(ends.size).toBeGreaterThan(0);

    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await expect(page.locator('#live').textContent()).resolves.toBe('live: live');

    mkdirSync(OUTPUT, { recursive: true });
    const desktop = join(OUTPUT, 'dashboard-desktop.png');
    await page.screenshot({ path: desktop, fullPage: true });
    await page.setViewportSize({ width: 400, height: 900 });
    const narrow = join(OUTPUT, 'dashboard-narrow.png');
    await page.screenshot({ path: narrow, fullPage: true });
    console.log(`dashboard screenshots:\n  ${desktop}\n  ${narrow}`);
    expect(problems).toEqual([]);
    await context.close();
    // Realised quality waits for the end of the minute its labels fell in (up to a minute) on top of the rest.
  }, 240_000);
});
