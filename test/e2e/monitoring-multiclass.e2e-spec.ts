import { DataSource } from 'typeorm';
import { PredictionLog } from '../../src/inference/prediction-log/prediction-log.service';
import {
  calibrate,
  DEFAULT_DRIFT_SETTINGS,
  mulberry32,
  PROBABILITY_BINS,
  probabilityBin,
  shuffleInPlace,
  trainModel,
  type CalibrationMap,
  type CellValue,
} from '../../src/ml';
import { BucketRecorder, RealisedQualityJob, WindowJob } from '../../src/monitoring';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { moveAlias, registerBundle } from '../support/model-fixtures';
import { parsePrometheusText } from '../support/prometheus-text';
import { loadShipped, testPart } from '../support/shipped-data';
import { startTestApp, type TestApp } from '../support/test-app';

type Values = Record<string, CellValue>;
interface Served {
  predictionId: string;
  label: string;
  probabilities: Record<string, number>;
}
interface Row {
  value: number | null;
  verdict: string | null;
  details: any;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const MODEL = 'home';
const TARGET = 'Home';
const METRICS = ['accuracy', 'precision', 'recall', 'f1'] as const;
const withoutTarget = (r: Values): Values => Object.fromEntries(Object.entries(r).filter(([k]) => k !== TARGET));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const macro = (xs: number[]) => mean(xs.filter(Number.isFinite));

/**
 * The CBPE figures of served answers, computed row by row from what the responses returned and the
 * bundle's one-vs-rest maps: `exact` maps each probability itself. The window job maps each
 * histogram bin's mean instead (100 bins over [0, 1]), which lies in the bin, so with a monotone
 * map its figures lie between `low` and `high`, those of every probability moved to its bin's
 * edges (each figure's worse and better direction); without a map the bins' sums make it exact.
 */
function cbpeFigures(answers: Served[], classes: string[], maps: (CalibrationMap | null)[]) {
  const f = (k: number, x: number) => (maps[k] ? calibrate(maps[k], x) : x);
  const points = (k: number, p: number): [number, number, number] => {
    const b = probabilityBin(p);
    const [a, c] = [f(k, b / PROBABILITY_BINS), f(k, (b + 1) / PROBABILITY_BINS)];
    return [Math.min(a, c), f(k, p), Math.max(a, c)];
  };
  const ratio = (num: number, den: number) => (den > 0 ? num / den : NaN);
  const perClass = classes.map((cls, k) => {
    // Expected TP (rows predicted k) and FN (the others) at the low end, exactly, at the high end.
    const tp = [0, 0, 0];
    const fn = [0, 0, 0];
    let predicted = 0;
    for (const a of answers) {
      const into = a.label === cls ? tp : fn;
      points(k, a.probabilities[cls]).forEach((v, i) => (into[i] += v));
      if (a.label === cls) predicted++;
    }
    // Side i: 0 low, 1 exact, 2 high; FN moves against TP (2 - i).
    return [0, 1, 2].map((i) => ({
      tp: tp[i],
      precision: ratio(tp[i], predicted),
      recall: ratio(tp[i], tp[i] + fn[2 - i]),
      f1: ratio(2 * tp[i], tp[i] + predicted + fn[2 - i]),
    }));
  });
  const side = (i: number) => ({
    accuracy: perClass.reduce((s, c) => s + c[i].tp, 0) / answers.length,
    precision: macro(perClass.map((c) => c[i].precision)),
    recall: macro(perClass.map((c) => c[i].recall)),
    f1: macro(perClass.map((c) => c[i].f1)),
  });
  return { low: side(0), exact: side(1), high: side(2) };
}

/** Realised macro figures as sklearn's defaults: classes among labels and predictions, undefined ones left out. */
function realisedFigures(pairs: { predicted: string; actual: string }[]) {
  const classes = [...new Set(pairs.flatMap((p) => [p.predicted, p.actual]))];
  const perClass = classes.map((c) => {
    const tp = pairs.filter((p) => p.predicted === c && p.actual === c).length;
    const fp = pairs.filter((p) => p.predicted === c && p.actual !== c).length;
    const fn = pairs.filter((p) => p.predicted !== c && p.actual === c).length;
    return {
      precision: tp + fp ? tp / (tp + fp) : NaN,
      recall: tp + fn ? tp / (tp + fn) : NaN,
      f1: 2 * tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : NaN,
    };
  });
  return {
    accuracy: pairs.filter((p) => p.predicted === p.actual).length / pairs.length,
    precision: macro(perClass.map((c) => c.precision)),
    recall: macro(perClass.map((c) => c.recall)),
    f1: macro(perClass.map((c) => c.f1)),
  };
}

/**
 * A multiclass model (credit data's `Home`, six classes) through the real stack: served answers,
 * their buckets, the window job's CBPE estimates and the drift of the predicted class, feedback
 * turned into realised macro figures by the realised-quality job, the two paired on the aligned
 * window by `…/performance` and `…/comparison`, and the gauges on `/metrics`. The jobs are run by
 * the test with their `now` (their schedules are an hour); the drifted phase's buckets are aged to
 * an hour of their own, as in monitoring-windows.e2e-spec.ts.
 */
describe('monitoring a multiclass model: CBPE estimates, predicted-class drift and realised macro figures', () => {
  let t: TestApp;
  let consumer: Http;
  let scientist: Http;
  let admin: Http;
  let classes: string[];
  let maps: (CalibrationMap | null)[];
  /** The trainer's test part (held out of training and validation): the reference of the predicted classes. */
  let testSplit: { features: Values[]; labels: string[] };
  let testMetrics: { accuracy: number; macroF1: number };
  /** Rows outside the training data altogether, with the class the model gives them. */
  let heldOut: { features: Values; predicted: string }[];
  const ds = () => t.app.get(DataSource);

  beforeAll(async () => {
    t = await startTestApp({
      INFERENCE_LOG_FLUSH_MS: '100',
      MONITORING_WINDOW_INTERVAL_MS: String(HOUR),
      MONITORING_REALISED_INTERVAL_MS: String(HOUR),
      ALERT_EVALUATION_INTERVAL_MS: String(HOUR),
      ALERT_RULES_DEFAULT: 'none',
    });
    consumer = new Http(t.baseUrl, await tokenFor(t, 'consumer'));
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    admin = new Http(t.baseUrl, await tokenFor(t, 'admin'));
    const data = loadShipped('credit_data.csv');
    const records = shuffleInPlace([...data.records], mulberry32(20));
    const training = { ...data, records: records.slice(0, 2500) };
    const trained = await trainModel({
      ...training,
      target: TARGET,
      task: 'multiclass',
      family: 'mlp',
      seed: 1,
      hyperparameters: { epochs: 3 },
    });
    classes = trained.predictor.meta.target.classes!;
    expect(classes.length).toBeGreaterThanOrEqual(3);
    maps = classes.map((c) => trained.calibration?.maps.find((m) => m.class === c)?.map ?? null);
    testSplit = testPart(training, TARGET, 1);
    expect(testSplit.features).toHaveLength(trained.rowCounts.test);
    testMetrics = trained.metrics as { accuracy: number; macroF1: number };
    const rest = records.slice(2500).map(withoutTarget);
    const predicted = trained.predictor.predictValues(rest);
    heldOut = rest.map((features, i) => ({ features, predicted: predicted[i].label! }));
    trained.predictor.dispose();
    expect(await registerBundle(t.app, MODEL, trained.bundle)).toBe(1);
    await moveAlias(t.app, MODEL, 'production', 1);
    // Version 2: the same network without its calibration maps (a bundle from before them reads so).
    const bundle = JSON.parse(trained.bundle.toString('utf8'));
    expect(await registerBundle(t.app, MODEL, Buffer.from(JSON.stringify({ ...bundle, calibration: null })))).toBe(2);
  });
  afterAll(() => t?.close());

  const predictAll = async (rows: Values[], query = ''): Promise<Served[]> => {
    const out: Served[] = [];
    for (let i = 0; i < rows.length; i += 100) {
      const res = await consumer.post(`/models/${MODEL}/predict${query}`, { instances: rows.slice(i, i + 100) });
      expect(res.status).toBe(200);
      out.push(...res.body.predictions);
    }
    return out;
  };
  const stored = async (windowEnd: Date, column: string, statistic: string, version = 1): Promise<Row> => {
    const rows = await ds().query<Row[]>(
      `SELECT value, verdict, details FROM monitoring.results
       WHERE model = $1 AND version = $6 AND column_name = $2 AND statistic = $3 AND window_end = $4
         AND window_start = $5`,
      [MODEL, column, statistic, windowEnd, new Date(windowEnd.getTime() - HOUR), version],
    );
    expect(rows).toHaveLength(1);
    return rows[0];
  };
  /** The @prediction rows the method selection asks for: chi-squared on a small reference, else Jensen–Shannon. */
  const predictionDrift = async (windowEnd: Date, rows: number) => {
    const verdict = await stored(windowEnd, '@prediction', 'drift');
    const referenceRows = testSplit.features.length;
    const small = referenceRows <= DEFAULT_DRIFT_SETTINGS.smallReferenceRows;
    expect(verdict.details).toMatchObject({
      test: small ? 'chisquare' : 'jensenshannon',
      referenceRows,
      currentRows: rows,
    });
    const chosen = await stored(windowEnd, '@prediction', small ? 'chi2_p' : 'jensen_shannon');
    expect(chosen.value).toBe(verdict.value);
    for (const s of ['psi', 'jensen_shannon'])
      expect((await stored(windowEnd, '@prediction', s)).value).toBeGreaterThanOrEqual(0);
    return verdict;
  };
  const expectEstimates = async (windowEnd: Date, answers: Served[], version = 1) => {
    const calibrated = version === 1 ? maps : maps.map(() => null);
    const { low, exact, high } = cbpeFigures(answers, classes, calibrated);
    for (const m of METRICS) {
      const row = await stored(windowEnd, '', `estimated_${m}`, version);
      expect(row.verdict).toBeNull();
      expect(row.details).toMatchObject({ n: answers.length, calibrated: calibrated.some(Boolean) });
      if (version === 2) expect(row.value).toBeCloseTo(exact[m], 9);
      expect(row.value).toBeGreaterThanOrEqual(low[m] - 1e-9);
      expect(row.value).toBeLessThanOrEqual(high[m] + 1e-9);
      expect(row.details.lower).toBeLessThanOrEqual(row.value!);
      expect(row.details.upper).toBeGreaterThanOrEqual(row.value!);
    }
  };

  let phaseHour: number;
  let driftedHour: number;
  let driftedRows: number;

  it('rows all of one predicted class: the predicted class drifts (from aged buckets of an hour of their own)', async () => {
    // The class the model gives most often, and held-out rows it gives it to.
    const counts = new Map<string, number>();
    for (const r of heldOut) counts.set(r.predicted, (counts.get(r.predicted) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    const rows = heldOut.filter((r) => r.predicted === top).slice(0, 300);
    expect(rows.length).toBeGreaterThanOrEqual(DEFAULT_DRIFT_SETTINGS.minWindowRows);
    const answers = await predictAll(rows.map((r) => r.features));
    expect(new Set(answers.map((a) => a.label))).toEqual(new Set([top]));
    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);

    // Five minutes before the end of the hour before last; the job runs 30 minutes later.
    driftedHour = Math.floor(Date.now() / HOUR) * HOUR;
    driftedRows = rows.length;
    const minute = driftedHour - HOUR - 5 * MINUTE;
    await ds().query(
      `UPDATE monitoring.buckets SET minute = $1::timestamptz - (date_trunc('minute', now()) - minute) WHERE model = $2`,
      [new Date(minute), MODEL],
    );
    const summary = await t.app.get(WindowJob).run(new Date(minute + 30 * MINUTE));
    expect(summary).toMatchObject({ versions: 1, failed: [], aligned: { windows: 1 } });

    const end = new Date(driftedHour - HOUR);
    const verdict = await predictionDrift(end, rows.length);
    expect(verdict.verdict).toBe('drift');
    await expectEstimates(end, answers);
    // Through the API as well: the drift series of the model output.
    const res = await scientist.get(
      `/monitoring/models/${MODEL}/drift?from=${new Date(end.getTime() - HOUR).toISOString()}&to=${end.toISOString()}&statistic=drift&feature=@prediction`,
    );
    expect(res.status).toBe(200);
    const series = res.body.series.find((s: { column: string }) => s.column === '@prediction');
    expect(series.points.at(-1)).toMatchObject({ to: end.toISOString(), verdict: 'drift' });
  });

  it('the test part with its labels: estimates from the served probabilities, no drift, realised macro figures paired with them', async () => {
    // The window is the hour now is in: wait for the next one when this one would end mid-phase.
    if (HOUR - (Date.now() % HOUR) < 45_000) await new Promise((r) => setTimeout(r, HOUR - (Date.now() % HOUR) + 100));
    const hour = (phaseHour = Math.floor(Date.now() / HOUR) * HOUR);
    const end = new Date(hour + HOUR);
    const answers = await predictAll(testSplit.features);
    await moveAlias(t.app, MODEL, 'challenger', 2);
    const uncalibrated = await predictAll(testSplit.features, '?version=2');
    await t.app.get(PredictionLog).flush();
    const all = answers.map((a, i) => ({ a, label: testSplit.labels[i] }));
    // The served answers reproduce the trainer's own test figures: the same rows, the same network.
    const served = realisedFigures(all.map((x) => ({ predicted: x.a.label, actual: x.label })));
    expect(served.accuracy).toBeCloseTo(testMetrics.accuracy, 12);
    expect(served.f1).toBeCloseTo(testMetrics.macroF1, 12);
    // No label of the rarest true class, which the model does predict: its recall is undefined and
    // left out of the macro recall, while its precision (0) counts.
    const rarest = classes
      .filter((c) => testSplit.labels.includes(c))
      .sort(
        (x, y) => testSplit.labels.filter((l) => l === x).length - testSplit.labels.filter((l) => l === y).length,
      )[0];
    expect(answers.some((a) => a.label === rarest)).toBe(true);
    const labelled = all.filter((x) => x.label !== rarest);
    const res = await consumer.post('/predictions/feedback', {
      items: labelled.map((x) => ({ predictionId: x.a.predictionId, label: x.label })),
    });
    expect(res.status).toBe(200);
    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);

    // Two minutes after the hour: its minutes are flushed, so the job writes the aligned hour (beside
    // its sliding window, which ends a minute later); the realised job as of the hour's end.
    expect(await t.app.get(WindowJob).run(new Date(end.getTime() + 2 * MINUTE))).toMatchObject({
      versions: 2,
      failed: [],
      aligned: { windows: 2 },
    });
    expect(await t.app.get(RealisedQualityJob).run(end)).toMatchObject({ rows: expect.any(Number) });

    // Estimated: between the row-level figures of the served probabilities at their bins' edges.
    expect(maps.some(Boolean)).toBe(true);
    await expectEstimates(end, answers);
    expect((await stored(end, '', 'estimated_accuracy')).details).toMatchObject({
      definition: 'mean probability of the predicted class',
    });
    // Without maps (version 2), the estimated accuracy is the mean served max-class probability:
    // each bin's sum is exact, so only the order of additions differs.
    expect(uncalibrated.every((a) => a.probabilities[a.label] === Math.max(...Object.values(a.probabilities)))).toBe(
      true,
    );
    expect((await stored(end, '', 'estimated_accuracy', 2)).value).toBeCloseTo(
      mean(uncalibrated.map((a) => a.probabilities[a.label])),
      9,
    );
    await expectEstimates(end, uncalibrated, 2);
    const rocAuc = await stored(end, '', 'estimated_roc_auc');
    expect(rocAuc.value).toBeGreaterThan(0);
    expect(rocAuc.value).toBeLessThanOrEqual(1);

    // The served classes of the test part are the reference's own: nothing moved (statistic 0, p = 1).
    // Other held-out rows are no test of no_drift here: Evidently's chi-squared takes the reference
    // (the test part's ~500 predictions) as exact, so a window as large from the same rows reads
    // drift about 40% of the time (600 held-out rows of this model: p = 0.005).
    const verdict = await predictionDrift(end, answers.length);
    expect(verdict).toMatchObject({ verdict: 'no_drift', value: 1 });

    // Realised: the macro figures of the served labels against the feedback.
    const expected = realisedFigures(labelled.map((x) => ({ predicted: x.a.label, actual: x.label })));
    for (const m of METRICS) {
      const row = await stored(end, '', `realised_${m}`);
      expect(row.verdict).toBeNull();
      expect(row.value).toBeCloseTo(expected[m], 12);
    }
    // The drifted phase's predictions are in the log of the hour they were sent in, without labels.
    const logged = answers.length + (driftedHour === hour ? driftedRows : 0);
    expect(await stored(end, '', 'labelled_share')).toMatchObject({
      value: labelled.length / logged,
      details: { predictions: logged, labelled: labelled.length },
    });

    // …/performance and …/comparison pair both sides of the aligned window.
    const from = new Date(hour).toISOString();
    const perf = await scientist.get(
      `/monitoring/models/${MODEL}/performance?from=${from}&to=${end.toISOString()}&version=1`,
    );
    expect(perf.status).toBe(200);
    expect(perf.body.windows).toHaveLength(1);
    const window = perf.body.windows[0];
    expect(window).toMatchObject({ from, to: end.toISOString(), paired: true });
    for (const m of METRICS) {
      expect(window.realised[m].value).toBeCloseTo(expected[m], 12);
      expect(window.estimated[m].value).toBe((await stored(end, '', `estimated_${m}`)).value);
      expect(window.estimated[m].details).toMatchObject({ method: expect.stringContaining('cbpe'), n: answers.length });
    }
    const comparison = await scientist.get(
      `/monitoring/models/${MODEL}/comparison?from=${from}&to=${new Date(end.getTime() + HOUR).toISOString()}`,
    );
    expect(comparison.status).toBe(200);
    const entry = comparison.body.windows.find((w: { windowEnd: string }) => w.windowEnd === end.toISOString());
    const v1 = entry.versions.find((v: { version: number }) => v.version === 1);
    expect(v1).toMatchObject({ paired: true, traffic: 'own', aliases: ['production'] });
    for (const m of METRICS) {
      expect(v1.realised[m]).toBeCloseTo(expected[m], 12);
      expect(v1.estimated[m]).toBe(window.estimated[m].value);
    }

    // The gauges carry the multiclass figures of the newest windows (this one).
    const scrape = await admin.get<string>('/metrics');
    expect(scrape.status).toBe(200);
    const e = parsePrometheusText(scrape.body);
    const labels = { model: MODEL, version: '1' };
    for (const m of [...METRICS, 'roc_auc']) {
      expect(e.value('mlapi_estimated_quality', { ...labels, metric: m })).toBe(
        (await stored(end, '', `estimated_${m}`)).value,
      );
      expect(e.value('mlapi_realised_quality', { ...labels, metric: m })).toBe(
        (await stored(end, '', `realised_${m}`)).value,
      );
    }
    expect(e.value('mlapi_drift_verdict', { ...labels, feature: '@prediction' })).toBe(0);
  });

  it("recomputed from the raw log, a multiclass window gives the buckets' estimates and predicted-class drift", async () => {
    // Version 2's traffic only (the drifted phase's log rows, sent to version 1, are not where its buckets now are).
    const window = { from: new Date(phaseHour), to: new Date(phaseHour + HOUR), version: 2 };
    const [buckets, log] = [
      await scientist.post(`/monitoring/models/${MODEL}/drift`, window),
      await scientist.post(`/monitoring/models/${MODEL}/drift`, { ...window, source: 'log' }),
    ];
    expect([buckets.status, log.status]).toEqual([200, 200]);
    const [b] = buckets.body.versions;
    const [l] = log.body.versions;
    expect(l).toMatchObject({ version: 2, rows: testSplit.features.length, bucketRows: b.rows });
    const pick = (v: { results: { column: string; statistic: string; points: { value: number | null }[] }[] }) =>
      Object.fromEntries(
        v.results
          .filter((r) => r.column === '@prediction' || r.statistic.startsWith('estimated_'))
          .map((r) => [`${r.column}/${r.statistic}`, r.points.map((p) => p.value && Number(p.value.toPrecision(12)))]),
      );
    expect(Object.keys(pick(l)).sort()).toEqual(
      expect.arrayContaining(['/estimated_accuracy', '/estimated_f1', '@prediction/drift', '@prediction/psi']),
    );
    expect(pick(l)['/estimated_accuracy'][0]).toBeGreaterThan(0);
    expect(pick(l)).toEqual(pick(b));
  });
});
