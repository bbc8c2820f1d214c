/**
 * From one version's window report (bucketDrift) and its CBPE estimate to the rows of
 * monitoring.results: one per column and statistic (docs/architecture.md, "Monitoring results").
 * Pure, so the job, the on-demand endpoint and the tests build the same rows.
 */
import type {
  BinaryQualityEstimate,
  ColumnDrift,
  DriftMethod,
  DriftSettings,
  Estimate,
  MulticlassQualityEstimate,
} from '../../ml';
import type { BucketDriftReport, ColumnReport } from '../buckets/bucket-drift';
import { DATASET_COLUMN, DRIFT_STATISTIC, type MonitoringResult } from '../results/monitoring-results';

/** The column of the model's output (class probability or value): `@` cannot start a feature name of ours. */
export const PREDICTION_COLUMN = '@prediction';
/** Rows of the window, on the dataset column. */
export const ROWS_STATISTIC = 'rows';
/** Window-against-window rows carry this prefix, so they never replace the rows against training. */
export const BASELINE_PREFIX = 'baseline_';

export type QualityEstimate = BinaryQualityEstimate | MulticlassQualityEstimate;

export interface WindowRowsInput {
  model: string;
  version: number;
  from: Date;
  to: Date;
  report: BucketDriftReport;
  settings: DriftSettings;
  /** Null for regression (nothing is estimated) and for a window against a baseline window. */
  estimate: QualityEstimate | null;
  /** Set when the reference side is a live window rather than the training profile. */
  baseline?: { from: Date; to: Date } | null;
}

const finite = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

/** Each drift method's threshold and where its default comes from (README, "Monitoring"). */
function thresholdOf(method: DriftMethod, s: DriftSettings): { threshold: number; rule: string } {
  return method === 'ks' || method === 'chisquare' || method === 'z'
    ? { threshold: s.pValueThreshold, rule: method === 'ks' ? 'p <= threshold' : 'p < threshold' }
    : { threshold: s.distanceThreshold, rule: 'distance >= threshold' };
}

const verdictOf = (d: ColumnDrift) => (d.drifted === null ? 'insufficient_data' : d.drifted ? 'drift' : 'no_drift');

interface ColumnStats {
  name: string;
  drift: ColumnDrift;
  approximate?: string;
}

function driftRows(c: ColumnStats, settings: DriftSettings): [string, number | null, string | null, object?][] {
  const d = c.drift;
  const { threshold, rule } = thresholdOf(d.method, settings);
  const details = {
    test: d.method,
    threshold,
    rule,
    thresholdSource: 'Evidently default (MONITORING_DRIFT_* settings)',
    referenceRows: d.referenceRows,
    currentRows: d.currentRows,
    ...(d.reason ? { reason: d.reason } : {}),
    ...(c.approximate ? { approximate: c.approximate } : {}),
    ...(d.unseen && d.unseen.rows > 0 ? { unseen: d.unseen } : {}),
  };
  const rows: [string, number | null, string | null, object?][] = [
    [DRIFT_STATISTIC, finite(d.score), verdictOf(d), details],
  ];
  if (d.drifted === null) return rows;
  rows.push(['psi', finite(d.psi), null], ['jensen_shannon', finite(d.jensenShannon), null]);
  if (d.ks)
    rows.push(['ks', finite(d.ks.statistic), null], ['ks_p', finite(d.ks.pValue), null, { method: d.ks.method }]);
  if (d.normedWasserstein !== undefined) rows.push(['wasserstein', finite(d.normedWasserstein), null]);
  if (d.chiSquare) rows.push(['chi2_p', finite(d.chiSquare.pValue), null, { dof: d.chiSquare.dof }]);
  return rows;
}

function qualityRows(c: ColumnReport): [string, number | null][] {
  const q = c.quality;
  return 'outOfRangeRate' in q
    ? [
        ['missing_rate', q.missingRate],
        ['out_of_range_rate', q.outOfRangeRate],
      ]
    : [
        ['missing_rate', q.missingRate],
        ['unknown_category_rate', q.unknownRate],
      ];
}

const ESTIMATED: [string, keyof Pick<BinaryQualityEstimate, 'accuracy' | 'precision' | 'recall' | 'f1' | 'rocAuc'>][] =
  [
    ['accuracy', 'accuracy'],
    ['precision', 'precision'],
    ['recall', 'recall'],
    ['f1', 'f1'],
    ['roc_auc', 'rocAuc'],
  ];

function estimateRows(e: QualityEstimate, rows: number, settings: DriftSettings): [string, Estimate, object][] {
  const base = { method: 'cbpe', calibrated: e.calibrated, n: rows };
  if (e.task === 'binary')
    return ESTIMATED.map(([name, key]) => [
      name,
      e[key],
      { ...base, positiveClass: e.positiveClass, threshold: e.threshold, minWindowRows: settings.minWindowRows },
    ]);
  const perClass = (pick: (c: MulticlassQualityEstimate['classes'][number]) => Estimate | undefined) =>
    e.classes.map((c) => ({ class: c.class, value: finite(pick(c)?.value) }));
  const macro = { ...base, average: 'macro over the classes where defined', method: 'cbpe one-vs-rest' };
  const out: [string, Estimate, object][] = [
    [
      'roc_auc',
      e.macroRocAuc,
      { ...base, average: 'macro', classes: e.classes.map((c) => ({ class: c.class, rocAuc: c.rocAuc.value })) },
    ],
  ];
  if (e.accuracy)
    out.unshift(['accuracy', e.accuracy, { ...base, definition: 'mean probability of the predicted class' }]);
  if (e.macroPrecision) out.push(['precision', e.macroPrecision, { ...macro, classes: perClass((c) => c.precision) }]);
  if (e.macroRecall) out.push(['recall', e.macroRecall, { ...macro, classes: perClass((c) => c.recall) }]);
  if (e.macroF1) out.push(['f1', e.macroF1, { ...macro, classes: perClass((c) => c.f1) }]);
  return out;
}

/** Every row of one version's window. */
export function windowRows(input: WindowRowsInput): MonitoringResult[] {
  const { model, version, from, to, report, settings, estimate, baseline } = input;
  const prefix = baseline ? BASELINE_PREFIX : '';
  const against = baseline ? { baseline: { from: baseline.from.toISOString(), to: baseline.to.toISOString() } } : {};
  const out: MonitoringResult[] = [];
  const add = (column: string, statistic: string, value: number | null, verdict: string | null, details?: object) =>
    out.push({
      model,
      version,
      windowStart: from,
      windowEnd: to,
      column,
      statistic: prefix + statistic,
      value: finite(value),
      verdict,
      details: details || baseline ? { ...against, ...details } : null,
    });
  const columns: ColumnStats[] = [...report.columns];
  if (report.prediction) columns.push({ name: PREDICTION_COLUMN, ...report.prediction });
  for (const c of columns) for (const [s, v, verdict, d] of driftRows(c, settings)) add(c.name, s, v, verdict, d);
  const ds = report.dataset;
  add(
    DATASET_COLUMN,
    DRIFT_STATISTIC,
    ds.share,
    ds.drift === null ? 'insufficient_data' : ds.drift ? 'drift' : 'no_drift',
    {
      test: 'share_of_drifted_columns',
      threshold: settings.driftShare,
      rule: 'share >= threshold',
      evaluated: ds.evaluated,
      drifted: ds.drifted,
    },
  );
  add(DATASET_COLUMN, ROWS_STATISTIC, report.rows, null);
  if (baseline) return out;
  for (const c of report.columns) for (const [s, v] of qualityRows(c)) add(c.name, s, v, null);
  if (!estimate) return out;
  const enough = report.rows >= settings.minWindowRows;
  for (const [name, e, details] of estimateRows(estimate, report.rows, settings)) {
    const value = enough ? finite(e.value) : null;
    const band =
      value === null ? {} : { lower: finite(e.lower), upper: finite(e.upper), standardError: finite(e.standardError) };
    add(DATASET_COLUMN, `estimated_${name}`, value, enough ? null : 'insufficient_data', { ...details, ...band });
  }
  return out;
}
