import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32, shuffleInPlace } from '../../src/ml';
import { AlertEvaluator, BucketRecorder } from '../../src/monitoring';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { freePort } from '../support/shell';
import { runAppTests, streamlitPython } from '../support/streamlit-venv';
import { startTestApp, type TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const ROWS = 400;
const KEEP_REPORT = process.env.STREAMLIT_KEEP_REPORT === '1';

/** What one AppTest scenario rendered (dashboards/streamlit/tests/test_app_against_api.py writes it). */
interface Rendered {
  errors: string[];
  warnings: string[];
  infos: string[];
  subheaders: string[];
  models: string[] | null;
  model: string | null;
  metrics: { label: string; value: string; delta: string | null }[];
  tables: { columns: string[]; rows: Record<string, any>[] }[];
}
interface Point {
  to: string;
  value: number | null;
  verdict: string | null;
}
interface Series {
  version: number;
  column: string;
  statistic: string;
  points: Point[];
}

/**
 * The Streamlit dashboard, run by Streamlit's AppTest (in .venv-streamlit) against this app: a
 * served credit model with traffic and a window computed on request, read with a `metrics:read`
 * API token; what it rendered is compared with the API's own answers.
 */
describe('the Streamlit dashboard against the running app (AppTest)', () => {
  let t: TestApp;
  let scientist: Http;
  let reportDir: string;
  let run: Awaited<ReturnType<typeof runAppTests>>;
  const rendered = (scenario: string): Rendered =>
    JSON.parse(readFileSync(join(reportDir, `${scenario}.json`), 'utf8')) as Rendered;
  const tableWith = (r: Rendered, column: string) => r.tables.find((x) => x.columns.includes(column))!;

  beforeAll(async () => {
    // First, so a missing venv fails at once, naming the install command.
    const python = streamlitPython();
    reportDir = mkdtempSync(join(tmpdir(), 'streamlit-apptest-'));
    t = await startTestApp({
      INFERENCE_LOG_FLUSH_MS: '100',
      MONITORING_WINDOW_INTERVAL_MS: String(HOUR),
      ALERT_EVALUATION_INTERVAL_MS: String(HOUR),
      ALERT_RULES_DEFAULT: 'none',
    });
    const consumer = new Http(t.baseUrl, await tokenFor(t, 'consumer'));
    const admin = new Http(t.baseUrl, await tokenFor(t, 'admin'));
    const scientistToken = await tokenFor(t, 'scientist');
    scientist = new Http(t.baseUrl, scientistToken);

    const data = creditData();
    const records = shuffleInPlace([...data.records], mulberry32(7));
    const bundle = await trainCreditBundle({ ...data, records: records.slice(0, 2000) }, 1, 3, 'logistic');
    expect(await registerBundle(t.app, 'credit', bundle)).toBe(1);
    await moveAlias(t.app, 'credit', 'production', 1);

    const from = new Date(Date.now() - HOUR);
    const traffic = records.slice(2000, 2000 + ROWS).map(featuresOf);
    for (let i = 0; i < traffic.length; i += 100) {
      const res = await consumer.post('/models/credit/predict', { instances: traffic.slice(i, i + 100) });
      expect(res.status).toBe(200);
    }
    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);
    const computed = await scientist.post('/monitoring/models/credit/drift', { from, to: new Date() });
    expect(computed.status).toBe(200);
    expect(computed.body.versions).toMatchObject([{ version: 1, rows: ROWS }]);

    // An alert that fires on this window (estimated accuracy below 0.999), for the alerts panel.
    const rule = await admin.post('/alerts/rules', {
      name: 'credit-accuracy',
      kind: 'estimated_quality_floor',
      model: 'credit',
      severity: 'warning',
      windowSeconds: 3600,
      forSeconds: 0,
      params: { metric: 'accuracy', floor: 0.999 },
    });
    expect(rule.status).toBe(201);
    expect((await t.app.get(AlertEvaluator).evaluate(new Date()))?.fired).toHaveLength(1);

    const minted = await admin.post('/api-tokens', { name: 'streamlit', scopes: ['metrics:read'] });
    expect(minted.status).toBe(201);
    run = await runAppTests(python, {
      MLAPI_URL: t.baseUrl,
      MLAPI_TOKEN: minted.body.token,
      MLAPI_SCIENTIST_TOKEN: scientistToken,
      // A port nothing listens on.
      MLAPI_UNREACHABLE_URL: `http://127.0.0.1:${await freePort()}`,
      APPTEST_REPORT_DIR: reportDir,
    });
  });
  afterAll(async () => {
    await t?.close();
    if (reportDir && !KEEP_REPORT) rmSync(reportDir, { recursive: true, force: true });
  });

  it('runs every AppTest scenario, and each passes', () => {
    expect({ code: run.code, out: run.stdout.slice(-3000) + run.stderr.slice(-2000) }).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/^6 passed\b/m);
  });

  it('the model picker offers the served model', () => {
    const seen = rendered('metrics_read');
    expect(seen.errors).toEqual([]);
    expect(seen.models).toEqual(['credit']);
    expect(seen.model).toBe('credit');
  });

  it("the drift panel shows each feature's newest verdict and score as the API stores them", async () => {
    const api = await scientist.get<{ series: Series[] }>('/monitoring/models/credit/drift?statistic=drift');
    expect(api.status).toBe(200);
    const table = tableWith(rendered('metrics_read'), 'score');
    const byFeature = new Map(table.rows.map((r) => [r.feature, r]));
    // 13 features, the model output and the dataset.
    expect(table.rows).toHaveLength(15);
    expect(api.body.series).toHaveLength(15);
    for (const s of api.body.series) {
      const newest = s.points.at(-1)!;
      const row = byFeature.get(s.column === '' ? '(dataset)' : s.column)!;
      expect({ feature: row.feature, verdict: row.verdict, version: row.version }).toEqual({
        feature: s.column === '' ? '(dataset)' : s.column,
        verdict: newest.verdict,
        version: 1,
      });
      if (newest.value === null) expect(row.score).toBeNull();
      else expect(row.score).toBeCloseTo(newest.value, 9);
    }
    expect(table.rows.filter((r) => r.verdict !== 'insufficient_data')).toHaveLength(15);
  });

  it('the data-quality panel shows the stored rates', async () => {
    const api = await scientist.get<{ series: Series[] }>('/monitoring/models/credit/data-quality');
    const table = tableWith(rendered('metrics_read'), 'missing_rate');
    const income = table.rows.find((r) => r.feature === 'Income')!;
    const stored = (statistic: string) =>
      api.body.series.find((s) => s.column === 'Income' && s.statistic === statistic)!.points.at(-1)!.value;
    expect(income.missing_rate).toBeCloseTo(stored('missing_rate')!, 9);
    expect(income.out_of_range_rate).toBeCloseTo(stored('out_of_range_rate')!, 9);
  });

  it('the performance panel shows the CBPE estimates of the window', async () => {
    // The window computed in the setup is not aligned on MONITORING_WINDOW_MS: `all` includes it.
    const api = await scientist.get('/monitoring/models/credit/performance?windows=all');
    expect(api.body.windows).toHaveLength(1);
    const estimated = api.body.windows[0].estimated as Record<string, { value: number }>;
    const seen = rendered('metrics_read');
    const metrics = Object.fromEntries(seen.metrics.map((m) => [m.label, m.value]));
    for (const name of ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'])
      expect(metrics[`v1 ${name} (estimated)`]).toBe(estimated[name].value.toFixed(3));
    const table = tableWith(seen, 'estimated');
    const accuracy = table.rows.find((r) => r.metric === 'accuracy')!;
    expect(accuracy).toMatchObject({ version: 1, realised: null });
    expect(accuracy.estimated).toBeCloseTo(estimated.accuracy.value, 12);
  });

  it('traffic: the series when the API serves it, else a note that the route is missing', async () => {
    const api = await scientist.get('/monitoring/models/credit/traffic');
    const seen = rendered('metrics_read');
    if (api.status === 404 && !api.body.code)
      expect(seen.infos).toContainEqual(expect.stringMatching(/^Traffic is not served by this API yet/));
    else {
      expect(api.status).toBe(200);
      const requests = (api.body.points as { requests: number }[]).reduce((n, p) => n + p.requests, 0);
      expect(seen.metrics.find((m) => m.label === 'Requests')?.value).toBe(String(requests));
    }
  });

  it("alerts: the metrics:read token and a scientist's token both list the firing one", () => {
    for (const who of ['metrics_read', 'scientist']) {
      const table = tableWith(rendered(who), 'ruleName');
      expect(table.rows).toEqual([
        expect.objectContaining({
          ruleName: 'credit-accuracy',
          state: 'firing',
          subject: 'credit@v1',
          threshold: 0.999,
        }),
      ]);
    }
  });

  it('an invalid token, a missing token and an unreachable API each get their message, and nothing else', () => {
    const refused = rendered('refused');
    expect(refused.errors).toEqual([
      expect.stringMatching(/^The API refused MLAPI_TOKEN \(401 auth\.not_authenticated/),
    ]);
    expect(refused.tables).toEqual([]);
    expect(rendered('missing').errors).toEqual([expect.stringMatching(/^MLAPI_TOKEN is not set\. .*metrics:read/)]);
    expect(rendered('unreachable').errors).toEqual([
      expect.stringMatching(/^Cannot reach the API at http:\/\/127\.0\.0\.1:\d+/),
    ]);
  });
});
