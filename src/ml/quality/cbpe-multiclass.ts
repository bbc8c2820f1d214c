/**
 * Multiclass CBPE as NannyML does it (its `MulticlassClassification*` metrics): each class
 * one-vs-rest, a row predicted class k being a true positive of k with its probability of k, else a
 * false positive; a row not predicted k a false negative of k with that probability. The window's
 * expected TP, FP and FN per class give precision, recall and F1 per class and their macro mean;
 * accuracy is the mean probability of the predicted class (Σ TP_k / n). From histograms: per class,
 * that class's probabilities over all rows (the ROC AUC) and over the rows predicted it, so the
 * rows not predicted it are the difference. Reference values: scripts/fixtures/cbpe_multiclass_reference.py.
 */
import type { CalibrationMap } from '../calibration';
import { MlInputError } from '../errors';
import { f1, precision, recall, type Confusion } from '../metrics';
import { expectedConfusion, expectedRocAuc, groupsFromHistogram } from './cbpe-groups';
import { checkHistogram, type ProbabilityHistogram } from './histogram';
import { band, f1StandardError, proportionStandardError, rocAucStandardError, type Estimate } from './sampling-error';

export interface MulticlassEstimateInput {
  classes: string[];
  /** Per class (in `classes` order), the histogram of that class's raw probability over the window. */
  histograms: ProbabilityHistogram[];
  /**
   * Per class, the histogram of that class's raw probability over the rows predicted that class
   * (monitoring buckets since the multiclass estimates); without them only the ROC AUC is estimated.
   */
  predictedHistograms?: ProbabilityHistogram[] | null;
  /** Per class, how many rows of the window were predicted that class. */
  predictedCounts: number[];
  /** Per class, the bundle's one-vs-rest map (none: raw probabilities taken as calibrated). */
  calibration?: (CalibrationMap | null)[] | null;
}

export interface ClassEstimate {
  class: string;
  predicted: number;
  /** Expected number of rows of this class: Σ of its calibrated probability. */
  expected: number;
  /** One-vs-rest ROC AUC of this class's probability. */
  rocAuc: Estimate;
  /** One-vs-rest expected counts and figures (with predicted histograms); precision NaN when never predicted. */
  confusion?: Confusion;
  precision?: Estimate;
  recall?: Estimate;
  f1?: Estimate;
}

export type MulticlassMetric = 'accuracy' | 'precision' | 'recall' | 'f1';

export interface MulticlassQualityEstimate {
  task: 'multiclass';
  n: number;
  calibrated: boolean;
  classes: ClassEstimate[];
  /** Mean of the per-class one-vs-rest AUCs; its standard error takes the classes as independent. */
  macroRocAuc: Estimate;
  /** With predicted histograms: accuracy, and the macro means (over the classes where defined) of the rest. */
  accuracy?: Estimate;
  macroPrecision?: Estimate;
  macroRecall?: Estimate;
  macroF1?: Estimate;
  /** What could not be estimated: all four without predicted histograms (buckets from before them). */
  notEstimated: MulticlassMetric[];
}

/** The rows of `all` not in `part` (bin by bin, never below 0: float sums of the same values). */
function difference(all: ProbabilityHistogram, part: ProbabilityHistogram): ProbabilityHistogram {
  return {
    counts: all.counts.map((c, b) => Math.max(0, c - (part.counts[b] ?? 0))),
    sums: all.sums.map((s, b) => Math.max(0, s - (part.sums[b] ?? 0))),
  };
}

/** Mean of the finite estimates, standard error as of independent ones; NaN when none is finite. */
function macro(estimates: Estimate[]): Estimate {
  const finite = estimates.filter((e) => Number.isFinite(e.value));
  if (!finite.length) return band(NaN, NaN);
  const value = finite.reduce((s, e) => s + e.value, 0) / finite.length;
  return band(value, Math.sqrt(finite.reduce((s, e) => s + e.standardError ** 2, 0)) / finite.length);
}

/** One class's one-vs-rest expected confusion: its predicted rows all positive, the others all negative. */
function oneVsRest(all: ProbabilityHistogram, predicted: ProbabilityHistogram, map?: CalibrationMap | null): Confusion {
  return expectedConfusion([
    ...groupsFromHistogram(predicted, -Infinity, map),
    ...groupsFromHistogram(difference(all, predicted), Infinity, map),
  ]);
}

/**
 * CBPE of a multiclass window from per-class probability histograms. The one-vs-rest maps are
 * applied without renormalising (NannyML renormalises the calibrated probabilities of each row): a
 * histogram of p_k alone does not hold the rows' other probabilities, and the one-vs-rest map
 * itself estimates P(y = k | p_k), which is what class k's figures need. Without maps the figures
 * are NannyML's on the same probabilities (the bins' sums are exact).
 */
export function estimateMulticlassQuality(input: MulticlassEstimateInput): MulticlassQualityEstimate {
  const { classes, histograms, predictedCounts } = input;
  if (!Array.isArray(histograms) || histograms.length !== classes.length)
    throw new MlInputError('histograms', `must hold one histogram per class (${classes.length})`);
  if (!Array.isArray(predictedCounts) || predictedCounts.length !== classes.length)
    throw new MlInputError('predictedCounts', `must hold one count per class (${classes.length})`);
  histograms.forEach((h, k) => checkHistogram(h, `histograms[${k}]`));
  const predicted = input.predictedHistograms ?? null;
  if (predicted) {
    if (!Array.isArray(predicted) || predicted.length !== classes.length)
      throw new MlInputError('predictedHistograms', `must hold one histogram per class (${classes.length})`);
    predicted.forEach((h, k) => checkHistogram(h, `predictedHistograms[${k}]`));
  }
  const n = histograms[0].counts.reduce((a, b) => a + b, 0);
  const perClass = classes.map((name, k): ClassEstimate => {
    const map = input.calibration?.[k];
    const groups = groupsFromHistogram(histograms[k], Infinity, map);
    const expected = groups.reduce((s, g) => s + g.positives, 0);
    const auc = expectedRocAuc(groups);
    const estimate: ClassEstimate = {
      class: name,
      predicted: predictedCounts[k],
      expected,
      rocAuc: band(auc, rocAucStandardError(auc, expected, n - expected)),
    };
    if (!predicted) return estimate;
    const c = oneVsRest(histograms[k], predicted[k], map);
    const p = precision(c);
    const r = recall(c);
    return {
      ...estimate,
      confusion: c,
      precision: band(p, proportionStandardError(p, c.tp + c.fp)),
      recall: band(r, proportionStandardError(r, c.tp + c.fn)),
      f1: band(f1(c), f1StandardError(c.tp, c.fp, c.fn)),
    };
  });
  const base = {
    task: 'multiclass' as const,
    n,
    calibrated: !!input.calibration?.some((m) => m),
    classes: perClass,
    macroRocAuc: macro(perClass.map((c) => c.rocAuc)),
  };
  if (!predicted) return { ...base, notEstimated: ['accuracy', 'precision', 'recall', 'f1'] };
  const a = n > 0 ? perClass.reduce((s, c) => s + c.confusion!.tp, 0) / n : NaN;
  return {
    ...base,
    accuracy: band(a, proportionStandardError(a, n)),
    macroPrecision: macro(perClass.map((c) => c.precision!)),
    macroRecall: macro(perClass.map((c) => c.recall!)),
    macroF1: macro(perClass.map((c) => c.f1!)),
    notEstimated: [],
  };
}
