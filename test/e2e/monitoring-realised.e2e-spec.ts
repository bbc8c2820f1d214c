import { DataSource } from 'typeorm';
import { PredictionLog } from '../../src/inference/prediction-log/prediction-log.service';
import { trainModel } from '../../src/ml/trainer';
import type { CellValue } from '../../src/ml/schema';
import { BucketRecorder, WindowJob } from '../../src/monitoring';
import { RealisedQualityJob } from '../../src/monitoring/quality/realised-quality.job';
import { MonitoringResults, type MonitoringResult } from '../../src/monitoring/results/monitoring-results';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { parsePrometheusText, type Exposition } from '../support/prometheus-text';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

type Answer = { predictionId: string; label?: string; value?: number; probabilities?: Record<string, number> };
type Answered = { alias: string | null; version: number; prediction: Answer; features: Record<string, CellValue> };

/**
 * Realised quality from feedback, late feedback, and production beside canary and shadow on the
 * real stack: the job is run by the test (its schedule is an hour), for the window now is in.
 */
describe('realised quality and the version comparison', () => {
  let t: TestApp;
  let consumer: Http;
  let scientist: Http;
  let admin: Http;
  let records: Record<string, CellValue>[];
  const hour = 3_600_000;
  // The job computes windows that ended: as of the next hour's start, the current hour is one.
  const runJob = () => t.app.get(RealisedQualityJob).run(new Date((Math.floor(Date.now() / hour) + 1) * hour));
  const windowEnd = () => new Date((Math.floor(Date.now() / hour) + 1) * hour);

  const predict = async (model: string, features: Record<string, CellValue>, query = ''): Promise<Answered> => {
    const res = await consumer.post(`/models/${model}/predict${query}`, { features });
    expect(res.status).toBe(200);
    return { alias: res.body.alias, version: res.body.version, prediction: res.body.predictions[0], features };
  };
  const feedback = async (id: string, label: string | number) => {
    const res = await consumer.post(`/predictions/${id}/feedback`, { label });
    expect([200, 201]).toContain(res.status);
  };
  const flush = () => t.app.get(PredictionLog).flush();
  const stored = async (model: string, version: number, statistic: string) => {
    const rows = await t.app
      .get(DataSource)
      .query<{ value: number | null; verdict: string | null; details: Record<string, unknown> }[]>(
        `SELECT value, verdict, details FROM monitoring.results
         WHERE model = $1 AND version = $2 AND statistic = $3 AND column_name = '' AND window_end = $4`,
        [model, version, statistic, windowEnd()],
      );
    expect(rows).toHaveLength(1);
    return rows[0];
  };
  const scrape = async (): Promise<Exposition> => {
    const res = await admin.get<string>('/metrics');
    expect(res.status).toBe(200);
    return parsePrometheusText(res.body);
  };
  const other = (label: string) => (label === 'good' ? 'bad' : 'good');

  beforeAll(async () => {
    t = await startTestApp({
      INFERENCE_CANARY: 'credit=0.5',
      INFERENCE_SHADOW: 'credit',
      INFERENCE_LOG_FLUSH_MS: '100',
      INFERENCE_ALIAS_TTL_MS: '600000',
      MONITORING_REALISED_INTERVAL_MS: '3600000',
      MONITORING_REALISED_MIN_LABELLED: '5',
      // The pairing test's window holds 40 predictions: estimated figures need that many.
      MONITORING_MIN_WINDOW_ROWS: '20',
    });
    consumer = new Http(t.baseUrl).as(await tokenFor(t, 'consumer'));
    scientist = new Http(t.baseUrl).as(await tokenFor(t, 'scientist'));
    admin = new Http(t.baseUrl).as(await tokenFor(t, 'admin'));
    const data = creditData(400);
    records = data.records;
    for (const seed of [1, 2, 3]) await registerBundle(t.app, 'credit', await trainCreditBundle(data, seed, 2));
    await moveAlias(t.app, 'credit', 'production', 1);
    const price = await trainModel({
      ...data,
      target: 'Price',
      task: 'regression',
      family: 'mlp',
      seed: 1,
      hyperparameters: { epochs: 1 },
    });
    price.predictor.dispose();
    await registerBundle(t.app, 'price', price.bundle);
    await moveAlias(t.app, 'price', 'production', 1);
  });
  afterAll(() => t.close());

  const production: Answered[] = [];

  it('turns feedback into realised quality: known labels give the accuracy, precision and recall counted by hand', async () => {
    for (let i = 0; i < 40; i++) production.push(await predict('credit', featuresOf(records[i])));
    await flush();
    // 24 right, 6 wrong, 10 without a label.
    const labels = production.slice(0, 30).map((a, i) => (i < 24 ? a.prediction.label! : other(a.prediction.label!)));
    for (let i = 0; i < 30; i++) await feedback(production[i].prediction.predictionId, labels[i]);
    expect(await runJob()).toMatchObject({ rows: expect.any(Number) });

    let tp = 0,
      fp = 0,
      fn = 0;
    labels.forEach((y, i) => {
      const predicted = production[i].prediction.label;
      if (predicted === 'good' && y === 'good') tp++;
      else if (predicted === 'good') fp++;
      else if (y === 'good') fn++;
    });
    expect((await stored('credit', 1, 'realised_accuracy')).value).toBeCloseTo(24 / 30, 12);
    expect((await stored('credit', 1, 'realised_precision')).value).toBeCloseTo(tp / (tp + fp), 12);
    expect((await stored('credit', 1, 'realised_recall')).value).toBeCloseTo(tp / (tp + fn), 12);
    expect(await stored('credit', 1, 'labelled_share')).toMatchObject({
      value: 0.75,
      details: { predictions: 40, labelled: 30, byAlias: { production: 40 } },
    });
    const delay = await stored('credit', 1, 'label_delay_p90_seconds');
    expect(delay.value).toBeGreaterThanOrEqual(0);
    expect(delay.value).toBeLessThan(120);
  });

  it('recomputes an earlier window when late feedback arrives (the row is replaced, not added)', async () => {
    for (const a of production.slice(30)) await feedback(a.prediction.predictionId, a.prediction.label!);
    await runJob();
    expect((await stored('credit', 1, 'realised_accuracy')).value).toBeCloseTo(34 / 40, 12);
    expect((await stored('credit', 1, 'labelled_share')).value).toBe(1);
  });

  it('pairs the window job’s estimates with the realised figures of the same aligned window', async () => {
    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);
    // Two minutes after the hour ends: its minutes are flushed, so the job writes the aligned hour
    // beside its sliding window (which ends a minute later and must stay out of the comparison).
    const summary = await t.app.get(WindowJob).run(new Date(windowEnd().getTime() + 2 * 60_000));
    expect(summary).toMatchObject({ failed: [], aligned: { windows: 1 } });
    const to = new Date(windowEnd().getTime() + hour).toISOString();
    const res = await scientist.get(`/monitoring/models/credit/comparison?to=${to}`);
    expect(res.status).toBe(200);
    expect(res.body.windowSeconds).toBe(3600);
    const ends = res.body.windows.map((w: { windowEnd: string }) => w.windowEnd);
    expect(ends[0]).toBe(windowEnd().toISOString());
    expect(ends).not.toContain(new Date(windowEnd().getTime() + 60_000).toISOString());
    const v1 = res.body.windows[0].versions.find((v: { version: number }) => v.version === 1);
    expect(v1).toMatchObject({ paired: true, predictions: 40 });
    expect(v1.realised.accuracy).toBeCloseTo(34 / 40, 12);
    expect(v1.estimated.accuracy).toEqual(expect.any(Number));

    const from = new Date(windowEnd().getTime() - hour).toISOString();
    const perf = await scientist.get(`/monitoring/models/credit/performance?from=${from}&to=${to}&version=1`);
    expect(perf.status).toBe(200);
    expect(perf.body.windows).toHaveLength(1);
    expect(perf.body.windows[0]).toMatchObject({ from, to: windowEnd().toISOString(), paired: true });
    expect(perf.body.windows[0].realised.accuracy.value).toBeCloseTo(34 / 40, 12);
    expect(perf.body.windows[0].estimated.accuracy.details).toMatchObject({ method: 'cbpe', n: 40 });
  });

  it('says insufficient_data below the minimum of labels, with no value an alert could read', async () => {
    const few = [];
    for (let i = 0; i < 3; i++) few.push(await predict('credit', featuresOf(records[i]), '?version=2'));
    await flush();
    for (const a of few) await feedback(a.prediction.predictionId, a.prediction.label!);
    await moveAlias(t.app, 'credit', 'challenger', 2);
    await runJob();
    expect(await stored('credit', 2, 'realised_accuracy')).toMatchObject({
      value: null,
      verdict: 'insufficient_data',
      details: { value: 1, used: 3, minimum: 5 },
    });
  });

  it('serves the newest realised figures on /metrics, none for a figure below the minimum of labels', async () => {
    // The first scrape of this file: the gauges read the rows the runs above wrote.
    const e = await scrape();
    const v1 = { model: 'credit', version: '1' };
    expect(e.value('mlapi_realised_quality', { ...v1, metric: 'accuracy' })).toBeCloseTo(34 / 40, 12);
    expect(e.value('mlapi_realised_quality', { ...v1, metric: 'precision' })).toBe(
      (await stored('credit', 1, 'realised_precision')).value,
    );
    expect(e.value('mlapi_realised_labelled_share', v1)).toBe(1);
    // Version 2's three labels are below the minimum (5): its share is a fact, its accuracy no figure.
    expect(e.value('mlapi_realised_labelled_share', { model: 'credit', version: '2' })).toBe(1);
    expect(e.samples('mlapi_realised_quality', { model: 'credit', version: '2' })).toEqual([]);
    expect(e.samples('mlapi_shadow_agreement')).toEqual([]);
  });

  it('regression: feedback off by ±2 gives RMSE and MAE 2', async () => {
    const answers = [];
    for (let i = 0; i < 10; i++) {
      const features = Object.fromEntries(Object.entries(records[i]).filter(([k]) => k !== 'Price'));
      answers.push(await predict('price', features));
    }
    await flush();
    for (const [i, a] of answers.entries())
      await feedback(a.prediction.predictionId, a.prediction.value! + (i % 2 ? 2 : -2));
    await runJob();
    expect((await stored('price', 1, 'realised_rmse')).value).toBeCloseTo(2, 3);
    expect((await stored('price', 1, 'realised_mae')).value).toBeCloseTo(2, 3);
  });

  it('compares a shadow with production on the same requests and a canary on its own traffic', async () => {
    const features = records.slice(100, 160).map(featuresOf);
    // The shadow's answers, asked before it is one (a version asked by number is not redirected).
    const shadowAnswers: Answer[] = [];
    for (const f of features) shadowAnswers.push((await predict('credit', f, '?version=3')).prediction);
    await moveAlias(t.app, 'credit', 'canary', 2);
    await moveAlias(t.app, 'credit', 'shadow', 3);
    await new Promise((r) => setTimeout(r, 300)); // both alias events delivered
    const answered: Answered[] = [];
    for (const f of features) answered.push(await predict('credit', f));
    const deadline = Date.now() + 5000;
    const ds = t.app.get(DataSource);
    type Link = { shadow_of: string; version: number };
    let links: Link[] = [];
    const ids = answered.map((a) => a.prediction.predictionId);
    while (Date.now() < deadline) {
      await flush();
      links = await ds.query<Link[]>(
        `SELECT shadow_of, version FROM inference.predictions WHERE alias = 'shadow' AND shadow_of = ANY($1::uuid[])`,
        [ids],
      );
      if (links.length >= ids.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Every shadow record links to the prediction it shadowed, one each.
    expect(links.map((l) => l.shadow_of).sort()).toEqual([...ids].sort());
    expect(links.every((l) => l.version === 3)).toBe(true);

    const onProduction = answered
      .map((a, i) => ({ a, s: shadowAnswers[i] }))
      .filter(({ a }) => a.alias === 'production');
    const onCanary = answered.filter((a) => a.alias === 'canary');
    expect(onProduction.length).toBeGreaterThan(5);
    expect(onCanary.length).toBeGreaterThan(5);
    for (const { a } of onProduction) await feedback(a.prediction.predictionId, 'good');
    for (const a of onCanary) await feedback(a.prediction.predictionId, 'good');
    await runJob();

    const agreement = onProduction.filter(({ a, s }) => a.prediction.label === s.label).length / onProduction.length;
    const diffs = onProduction.map(({ a, s }) => Math.abs(a.prediction.probabilities!.good - s.probabilities!.good));
    const share = (list: Answer[]) => list.filter((p) => p.label === 'good').length / list.length;

    const res = await scientist.get<{ windows: { windowEnd: string; versions: Record<string, unknown>[] }[] }>(
      `/monitoring/models/credit/comparison?to=${windowEnd().toISOString()}`,
    );
    expect(res.status).toBe(200);
    const window = res.body.windows[0];
    expect(window.windowEnd).toBe(windowEnd().toISOString());
    const version = (v: number) => window.versions.find((x) => x.version === v)!;
    expect(version(3)).toMatchObject({
      traffic: 'shadowed',
      shadow: {
        productionVersion: 1,
        pairs: onProduction.length,
        labelledPairs: onProduction.length,
      },
    });
    const shadow = version(3).shadow as Record<string, number & Record<string, number>>;
    expect(shadow.agreement).toBeCloseTo(agreement, 12);
    expect(shadow.probabilityDiffMean).toBeCloseTo(diffs.reduce((x, y) => x + y, 0) / diffs.length, 6);
    expect(shadow.shadowRealised.accuracy).toBeCloseTo(share(onProduction.map(({ s }) => s)), 12);
    expect(shadow.productionRealised.accuracy).toBeCloseTo(share(onProduction.map(({ a }) => a.prediction)), 12);
    // The canary on its own share of traffic, its figures from its own feedback.
    expect(version(2)).toMatchObject({ traffic: 'own' });
    expect(version(2).aliases).toContain('canary');
    expect((await stored('credit', 2, 'labelled_share')).details).toMatchObject({
      byAlias: { canary: onCanary.length },
    });
    expect(version(1)).toMatchObject({ traffic: 'own', aliases: ['production'] });

    // The same comparison on /metrics, once the gauges have read it (they refresh at most every 5 s).
    let e = await scrape();
    for (let i = 0; i < 40 && !e.samples('mlapi_shadow_agreement', { version: '3' }).length; i++) {
      await new Promise((r) => setTimeout(r, 250));
      e = await scrape();
    }
    const v3 = { model: 'credit', version: '3' };
    expect(e.value('mlapi_shadow_agreement', v3)).toBeCloseTo(agreement, 12);
    expect(e.value('mlapi_shadow_probability_diff_mean', v3)).toBe(
      (await stored('credit', 3, 'shadow_probability_diff_mean')).value,
    );
    expect(e.value('mlapi_shadow_probability_diff_mean', v3)).toBeCloseTo(
      diffs.reduce((x, y) => x + y, 0) / diffs.length,
      6,
    );
    // Only a shadow has a comparison with production.
    expect(e.samples('mlapi_shadow_agreement').map((s) => s.labels.version)).toEqual(['3']);
  });

  it('downsamples a long span by window: per slot its newest window, whole; a day answered whole by default', async () => {
    // A week of a past year's hourly windows: v1's realised accuracy each hour, v2's estimate every
    // other hour; a sliding window beside each, which no comparison shows.
    const start = Date.UTC(2025, 5, 2);
    const rows: MonitoringResult[] = [];
    for (let h = 1; h <= 7 * 24; h++) {
      const end = new Date(start + h * hour);
      const row = {
        model: 'credit',
        windowStart: new Date(end.getTime() - hour),
        windowEnd: end,
        column: '',
        verdict: null,
      };
      rows.push({ ...row, version: 1, statistic: 'realised_accuracy', value: h / 1000 });
      if (h % 2 === 0) rows.push({ ...row, version: 2, statistic: 'estimated_accuracy', value: h / 1000 });
      rows.push({
        ...row,
        windowStart: new Date(row.windowStart.getTime() + 60_000),
        windowEnd: new Date(end.getTime() + 60_000),
        version: 1,
        statistic: 'realised_accuracy',
        value: -1,
      });
    }
    await new MonitoringResults(t.app.get(DataSource)).write(rows);
    const iso = (h: number) => new Date(start + h * hour).toISOString();
    type Page = {
      points: number;
      slotSeconds: number;
      windows: {
        windowEnd: string;
        versions: { version: number; realised: Record<string, number>; estimated: Record<string, number> }[];
      }[];
    };
    const read = async (query: string) => {
      const res = await scientist.get<Page>(`/monitoring/models/credit/comparison?${query}`);
      expect(res.status).toBe(200);
      return res.body;
    };

    // A day: every window (24 ≤ 48 points), as before points.
    const day = await read(`from=${iso(24)}&to=${iso(48)}`);
    expect(day).toMatchObject({ points: 48, slotSeconds: 3600 });
    expect(day.windows.map((w) => w.windowEnd)).toEqual(Array.from({ length: 24 }, (_, i) => iso(48 - i)));
    expect(await read(`from=${iso(24)}&to=${iso(48)}&points=1000`)).toEqual({ ...day, points: 1000 });
    expect(day.windows[1].versions).toEqual([
      expect.objectContaining({ version: 1, realised: { accuracy: 0.047 }, estimated: {} }),
    ]);

    // A week: 4-hour slots (168 / 48 rounded up to whole windows), each its newest window with every version.
    const week = await read(`from=${iso(0)}&to=${iso(168)}`);
    expect(week.slotSeconds).toBe(4 * 3600);
    expect(week.windows.map((w) => w.windowEnd)).toEqual(Array.from({ length: 42 }, (_, i) => iso(168 - 4 * i)));
    expect(week.windows[0].versions.map((v) => [v.version, v.realised.accuracy ?? v.estimated.accuracy])).toEqual([
      [1, 0.168],
      [2, 0.168],
    ]);
    // Off the slots' edges: the newest window of each slot ending at or before `to`, slots aligned
    // to multiples of 84 hours since the epoch (2025-06-08T12:00 is one), not to `from`.
    const off = await read(`from=${iso(0)}&to=${iso(167)}&points=2`);
    expect(off.slotSeconds).toBe(84 * 3600);
    expect(off.windows.map((w) => w.windowEnd)).toEqual([iso(167), '2025-06-08T12:00:00.000Z']);
    expect((await read(`from=${iso(0)}&to=${iso(168)}&points=1`)).windows.map((w) => w.windowEnd)).toEqual([iso(168)]);

    const bad = await scientist.get(`/monitoring/models/credit/comparison?points=0`);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('points');
  });

  it('refuses a window whose from is not before its to, naming the field', async () => {
    const res = await scientist.get(
      '/monitoring/models/credit/comparison?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'monitoring.window_invalid', details: [{ field: 'from' }] });
  });
});
