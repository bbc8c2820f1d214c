import { ApiTokensService } from '../../src/auth/services/api-tokens.service';
import { PredictionLog, PredictionReader, type LabelledPrediction, type LoggedPrediction } from '../../src/inference';
import { mulberry32, shuffleInPlace } from '../../src/ml';
import { BucketRecorder } from '../../src/monitoring';
import { runTraffic, type TrafficOptions, type TrafficRun } from '../../scripts/traffic/index';
import { loginAs, tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { creditData, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const FEEDBACK_DELAY_MS = 1500;
const NUMERIC = ['Seniority', 'Time', 'Age', 'Expenses', 'Income', 'Assets', 'Debt', 'Amount', 'Price'];
const CATEGORIES = ['Home', 'Marital', 'Records', 'Job'];

/** Polls `check` every 100 ms (at most a minute): the generator's progress, never a timed assertion. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every page of a paged read of the log. */
async function all<T>(read: (after?: string) => Promise<{ items: T[]; next: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  do {
    const page = await read(after);
    items.push(...page.items);
    after = page.next ?? undefined;
  } while (after);
  return items;
}

/**
 * The traffic generator in process against the real app: credit v1 (production) and the same
 * bundle as v2 (alias `drifted`). Plain traffic lands in the prediction log and its true labels
 * arrive as feedback after the delay; drifted traffic to v2 makes the on-demand drift window find
 * every numeric feature drifted and the unseen categories, while v1's window does not drift.
 */
describe('npm run traffic (runTraffic) against a served model', () => {
  let t: TestApp;
  let scientist: Http;
  let token: string;
  const reports: string[] = [];
  const started = new Date();
  /** The shipped rows' labels by their features (in signature order), to check each label given. */
  const labelsByFeatures = new Map<string, Set<string>>();
  const key = (features: Record<string, unknown>, names: string[]) => JSON.stringify(names.map((n) => features[n]));
  let names: string[];

  const traffic = (o: Partial<TrafficOptions>): TrafficRun =>
    runTraffic({
      url: t.baseUrl,
      token,
      model: 'credit',
      rate: 100,
      feedbackDelayMs: FEEDBACK_DELAY_MS,
      feedbackEveryMs: 200,
      reportEveryMs: 500,
      onReport: (line) => reports.push(line),
      ...o,
    });
  const window = () => ({
    model: 'credit',
    from: new Date(started.getTime() - 60_000),
    to: new Date(Date.now() + 60_000),
  });

  beforeAll(async () => {
    t = await startTestApp({ INFERENCE_LOG_FLUSH_MS: '200' });
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    const admin = await loginAs(t, 'admin');
    // The demo's token: scopes predict and feedback (scripts/demo.ts, TOKEN).
    token = (
      await t.app.get(ApiTokensService).create({ name: 'traffic', scopes: ['predict', 'feedback'] }, admin.user.id)
    ).token;
    const data = creditData();
    const records = shuffleInPlace([...data.records], mulberry32(3));
    const bundle = await trainCreditBundle({ ...data, records: records.slice(0, 2500) }, 1, 3, 'logistic');
    expect(await registerBundle(t.app, 'credit', bundle)).toBe(1);
    expect(await registerBundle(t.app, 'credit', bundle)).toBe(2);
    await moveAlias(t.app, 'credit', 'production', 1);
    await moveAlias(t.app, 'credit', 'drifted', 2);
    names = data.schema.columns.map((c) => c.name).filter((n) => n !== 'Status');
    for (const r of data.records) {
      const k = key(r, names);
      labelsByFeatures.set(k, (labelsByFeatures.get(k) ?? new Set()).add(String(r.Status)));
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('replays the shipped rows to production; they land in the log and their true labels follow after the delay', async () => {
    const run = traffic({});
    const start = await run.ready;
    expect(start.file).toMatch(/data\/credit_data\.csv$/);
    expect(start.signature).toMatchObject({ model: 'credit', version: 1, alias: 'production' });
    expect(start.signature.features.map((f) => f.name)).toEqual(names);
    await until(() => run.summary().ok >= 150 && run.summary().feedback!.sent >= 50, '150 answers and 50 labels');
    const s = await run.stop({ drainFeedback: true });
    expect(s).toMatchObject({ errors: 0, errorsBy: {}, version: 1, alias: 'production', problems: [] });
    expect(s.sent).toBe(s.ok);
    expect(s.feedback).toEqual({ sent: s.ok, failed: 0, pending: 0, dropped: 0 });
    expect(
      reports.some((l) => /^sent \d+ {2}ok \d+ {2}errors 0 {2}feedback sent \d+ pending \d+ {2}rate /.test(l)),
    ).toBe(true);

    expect(await t.app.get(PredictionLog).flush()).toBe(true);
    const reader = t.app.get(PredictionReader);
    const logged = await all<LoggedPrediction>((after) => reader.records(window(), { after }));
    expect(logged).toHaveLength(s.ok);
    expect(new Set(logged.map((p) => p.version))).toEqual(new Set([1]));
    const labelled = await all<LabelledPrediction>((after) => reader.labelled(window(), { after }));
    expect(labelled).toHaveLength(s.ok);
    const featuresOf = new Map(logged.map((p) => [p.id, p.features]));
    for (const p of labelled) {
      // Each label is the true one of the row replayed, given no sooner than the delay.
      expect(labelsByFeatures.get(key(featuresOf.get(p.id)!, names))).toContain(p.label);
      expect(p.labelledAt.getTime() - p.time.getTime()).toBeGreaterThanOrEqual(FEEDBACK_DELAY_MS);
    }
    expect(new Set(labelled.map((p) => p.label))).toEqual(new Set(['good', 'bad']));
  });

  it('--drift to another alias: its window drifts on every numeric feature and counts the unseen categories', async () => {
    const run = traffic({ alias: 'drifted', drift: true, feedbackDelayMs: null, seed: 2 });
    expect((await run.ready).signature).toMatchObject({ version: 2, alias: 'drifted' });
    await until(() => run.summary().ok >= 300, '300 answers');
    const s = await run.stop();
    expect(s).toMatchObject({ errors: 0, drift: true, feedback: null });
    // A quarter of each of 4 category features unseen: most answers report one.
    expect(s.unknownCategories).toBeGreaterThan(s.ok / 2);

    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);
    const res = await scientist.post('/monitoring/models/credit/drift', { from: window().from, to: new Date() });
    expect(res.status).toBe(200);
    const byVersion = new Map<number, any>(res.body.versions.map((v: any) => [v.version, v]));
    expect(byVersion.get(1)).toMatchObject({ drift: 'no_drift' });
    const v2 = byVersion.get(2);
    expect(v2).toMatchObject({ drift: 'drift', rows: s.ok });
    const latest = (column: string, statistic: string) =>
      v2.results.find((r: any) => r.column === column && r.statistic === statistic)?.points.at(-1);
    for (const f of NUMERIC) expect([f, latest(f, 'drift')?.verdict]).toEqual([f, 'drift']);
    for (const f of CATEGORIES) {
      const rate = latest(f, 'unknown_category_rate')?.value;
      expect([f, rate]).toEqual([f, expect.any(Number)]);
      expect(rate).toBeGreaterThan(0.15);
      expect(rate).toBeLessThan(0.35);
      const unseen = latest(f, 'drift')
        .details.unseen.values.map((v: any) => v.value)
        .sort();
      expect(unseen).toEqual([1, 2, 3].map((k) => `unseen-${f.toLowerCase()}-${k}`));
    }
  });

  it('says why it cannot start: an unknown model, a token without the predict scope', async () => {
    await expect(traffic({ model: 'nope' }).ready).rejects.toThrow(/cannot read the schema of nope: 404 registry\./);
    const admin = await loginAs(t, 'admin');
    const feedbackOnly = (
      await t.app.get(ApiTokensService).create({ name: 'feedback-only', scopes: ['feedback'] }, admin.user.id)
    ).token;
    const refused = traffic({ token: feedbackOnly });
    await expect(refused.ready).rejects.toThrow(
      /the token may not predict \(403 .*\): use an API token with scopes predict and feedback/,
    );
    await expect(refused.stop()).rejects.toThrow(/may not predict/);
  });
});
