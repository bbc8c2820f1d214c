import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { UsersService } from '../../src/auth/services/users.service';
import { BucketRecorder } from '../../src/monitoring';
import { buildDashboard } from '../../scripts/build-dashboard';
import { TEST_PASSWORD, tokenFor } from '../support/auth';
import { launchChromium } from '../support/browser';
import { Http } from '../support/http';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { REPO_ROOT } from '../support/repo-root';
import { startTestApp, type TestApp } from '../support/test-app';

const MODEL = 'credit';
const PREDICTIONS = 60;
const OUTPUT = join(REPO_ROOT, 'test-output');

/**
 * The dashboard in real headless Chromium: the redirect of a logged-out page, a consumer turned
 * away, and an admin who sees every panel hold the data of a model with traffic.
 */
describe('the dashboard in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let routes: Set<string>;
  let adminToken: string;
  const admin = 'dash-admin@example.com';
  const consumer = 'dash-consumer@example.com';

  beforeAll(async () => {
    browser = await launchChromium();
    await buildDashboard(); // esbuild, ~0.1 s: the page serves what dashboards/web holds now
    t = await startTestApp({ INFERENCE_LOG_FLUSH_MS: '100', MONITORING_MIN_WINDOW_ROWS: String(PREDICTIONS) });
    const users = t.app.get(UsersService);
    await users.create(admin, TEST_PASSWORD, 'admin');
    await users.create(consumer, TEST_PASSWORD, 'consumer');
    const data = creditData(400);
    expect(await registerBundle(t.app, MODEL, await trainCreditBundle(data, 1, 2, 'logistic'))).toBe(1);
    await moveAlias(t.app, MODEL, 'production', 1);
    const http = new Http(t.baseUrl);
    const predictor = http.as(await tokenFor(t, 'consumer'));
    for (let i = 0; i < PREDICTIONS; i++) {
      const res = await predictor.post(`/models/${MODEL}/predict`, { features: featuresOf(data.records[i]) });
      expect(res.status).toBe(200);
    }
    // The open minute's buckets written now (as at shutdown), so the histograms read them at once.
    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);
    // A drift window now, from the prediction log (the window job would wait for the minute to end).
    adminToken = await tokenFor(t, 'admin');
    const scientist = http.as(adminToken);
    let rows = 0;
    for (let i = 0; i < 100 && rows < PREDICTIONS; i++) {
      const res = await scientist.post(`/monitoring/models/${MODEL}/drift`, {
        from: new Date(Date.now() - 10 * 60_000).toISOString(),
        to: new Date(Date.now() + 1000).toISOString(),
        source: 'log',
      });
      expect(res.status).toBe(200);
      rows = res.body.versions[0]?.rows ?? 0;
      if (rows < PREDICTIONS) await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows).toBe(PREDICTIONS);
    const doc = await http.get<{ paths: Record<string, unknown> }>('/docs-json');
    routes = new Set(Object.keys(doc.body.paths));
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

  it('shows an admin every panel filled with the model’s data', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/404|stream-tickets/.test(m.text())) problems.push(m.text());
    });
    await signIn(page, admin);
    // The session is in HttpOnly cookies: the page's script sees only the CSRF cookie.
    const scriptCookies = await page.evaluate<string>('document.cookie');
    expect(scriptCookies).toContain('mlapi_csrf=');
    expect(scriptCookies).not.toContain('mlapi_session');

    await page.waitForSelector('#drift-body[data-cells]');
    await expect(page.locator('#model option').allTextContents()).resolves.toEqual([MODEL]);
    await expect(page.locator('#range option').allTextContents()).resolves.toEqual([
      'last 15 min',
      'last 1 h',
      'last 24 h',
      'last 7 d',
    ]);

    // Drift: a cell per column with a Jensen-Shannon distance in the one window (as the API has them),
    // every cell a focusable button.
    const features = Object.keys(featuresOf(creditData(1).records[0])).length;
    const drift = await new Http(t.baseUrl)
      .as(adminToken)
      .get(
        `/monitoring/models/${MODEL}/drift?statistic=jensen_shannon&from=${new Date(Date.now() - 3_600_000).toISOString()}`,
      );
    const columns = (drift.body.series as { column: string; points: unknown[] }[]).filter(
      (s) => s.column !== '' && s.points.length === 1,
    );
    expect(columns.length).toBeGreaterThan(features / 2);
    const cells = page.locator('#drift-body table.heat button.cell');
    await expect(cells.count()).resolves.toBe(columns.length);
    await expect(page.locator('#drift-body table.heat tbody th').allTextContents()).resolves.toEqual(
      columns
        .map((c) => c.column)
        .sort((a, b) => Number(a === '@prediction') - Number(b === '@prediction') || a.localeCompare(b)),
    );
    await expect(page.locator('#drift-body .threshold-text').textContent()).resolves.toMatch(
      // 60 predictions a window: the verdicts come from p-value tests (K-S, chi-square, z), not distances.
      /▲ drift by ((chisquare|ks|z)(, )?)+ at p < 0\.05/,
    );
    // Keyboard: Tab reaches a cell, Enter opens the feature's live histogram over the training one.
    await cells.first().focus();
    await page.keyboard.press('Enter');
    const hist = page.locator('#drift-body table.hist');
    await hist.waitFor();
    await expect(hist.locator('tbody tr').count()).resolves.toBeGreaterThan(1);
    await expect(page.locator('#drift-body .histogram h3').textContent()).resolves.toContain(`live (${PREDICTIONS})`);

    await page.waitForSelector('#quality-body[data-rows]');
    await expect(page.locator('#quality-body').getAttribute('data-rows')).resolves.toBe(String(features));
    await page.waitForSelector('#performance-body [data-chart=performance][data-points]');
    await expect(page.locator('#performance-body [data-chart=performance]').getAttribute('data-points')).resolves.toBe(
      '1',
    );
    await page.waitForSelector('#aliases-body[data-rows]');
    await expect(page.locator('#aliases-body tbody tr').first().textContent()).resolves.toContain('production');
    await page.waitForSelector('#training-body[data-rows]');
    await expect(page.locator('#training-body .empty').textContent()).resolves.toContain('POST /training-jobs');
    await page.waitForSelector('#alerts-body[data-rows]');
    await expect(page.locator('#alerts-body').getAttribute('data-rows')).resolves.toBe('0');

    await expectTraffic(page);
    await expectLiveStream(page);

    mkdirSync(OUTPUT, { recursive: true });
    const desktop = join(OUTPUT, 'dashboard-desktop.png');
    await page.screenshot({ path: desktop, fullPage: true });
    await page.setViewportSize({ width: 400, height: 900 });
    const narrow = join(OUTPUT, 'dashboard-narrow.png');
    await page.screenshot({ path: narrow, fullPage: true });
    console.log(`dashboard screenshots:\n  ${desktop}\n  ${narrow}`);
    expect(problems).toEqual([]);
    await context.close();
  });

  /**
   * The traffic panel reads GET /monitoring/models/{name}/traffic (contract §4, branch dash-traffic).
   * Until that route is in the API the panel must say so; once it is, its charts hold the minutes
   * with the predictions sent above. (After the merge only the second branch stays.)
   */
  async function expectTraffic(page: Page): Promise<void> {
    await page.waitForSelector('#traffic-body[data-state]');
    const state = await page.locator('#traffic-body').getAttribute('data-state');
    if (!routes.has('/monitoring/models/{name}/traffic')) {
      expect(state).toBe('unavailable');
      return;
    }
    expect(state).toBe('data');
    const points = Number(await page.locator('#traffic-body [data-chart=rate]').getAttribute('data-points'));
    expect(points).toBeGreaterThan(0);
  }

  /**
   * The live stream (contract §3, branch dash-stream): until its routes are in the app the page
   * reports it waiting; once they are, it goes live and a prediction sent now adds to the traffic
   * chart without a reload. (After the merge only the second branch stays.)
   */
  async function expectLiveStream(page: Page): Promise<void> {
    const live = page.locator('#live');
    if (!routes.has('/dashboard/stream-tickets')) {
      await page.locator('#live[data-status=waiting]').waitFor();
      return;
    }
    await page.locator('#live[data-status=live]').waitFor();
    await expect(live.textContent()).resolves.toBe('live: live');
  }
});
