/**
 * Confidence-based performance estimation (NannyML's CBPE): with calibrated probabilities, a
 * prediction with probability c of the positive class is a true positive with probability c when
 * predicted positive (else a false negative with probability c), so the window's expected confusion
 * matrix is a sum of probabilities, and every figure follows from it. Input: the window's histogram
 * of raw positive-class probabilities (what monitoring buckets keep), or raw scores (exact, for
 * tests and recomputation); the calibration map is applied to each bin's mean.
 */
import { calibrate, type CalibrationMap } from '../calibration';
import { MlInputError } from '../errors';
import { accuracy, f1, precision, recall, type Confusion } from '../metrics';
import { checkHistogram, type ProbabilityHistogram } from './histogram';
import { band, f1StandardError, proportionStandardError, rocAucStandardError, type Estimate } from './sampling-error';

type Nums = ArrayLike<number>;

/** Rows sharing one raw score (or one bin): how many, how many are expected positive, the share predicted positive. */
interface ScoreGroup {
  score: number;
  n: number;
  positives: number;
  predictedPositive: number;
}

export interface BinaryQualityEstimate {
  task: 'binary';
  /** The class precision, recall and F1 are of. */
  positiveClass: string;
  n: number;
  threshold: number;
  /** Whether a calibration map was applied (false: the raw probabilities were taken as calibrated). */
  calibrated: boolean;
  /** Expected counts (fractional). */
  confusion: Confusion;
  accuracy: Estimate;
  precision: Estimate;
  recall: Estimate;
  f1: Estimate;
  rocAuc: Estimate;
}

const mapped = (map: CalibrationMap | null | undefined, p: number) => (map ? calibrate(map, p) : p);

/** Exact CBPE on raw scores: each distinct score is one group (tied scores cross a threshold together). */
function groupsFromScores(p: Nums, threshold: number, map?: CalibrationMap | null): ScoreGroup[] {
  const sorted = Float64Array.from(p).sort();
  const groups: ScoreGroup[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const n = j - i;
    groups.push({
      score: sorted[i],
      n,
      positives: n * mapped(map, sorted[i]),
      predictedPositive: sorted[i] >= threshold ? n : 0,
    });
    i = j;
  }
  return groups;
}

/**
 * CBPE on a histogram: a bin is one group at its mean, its expected positives count · c(mean).
 * A bin the threshold cuts (only when the threshold is not a multiple of 1/bins) is split in
 * proportion to the part of its width at or above the threshold (values taken as uniform inside).
 */
function groupsFromHistogram(h: ProbabilityHistogram, threshold: number, map?: CalibrationMap | null): ScoreGroup[] {
  const bins = h.counts.length;
  const groups: ScoreGroup[] = [];
  for (let b = 0; b < bins; b++) {
    const n = h.counts[b];
    if (!(n > 0)) continue;
    const mean = h.sums[b] / n;
    const lo = b / bins;
    const hi = (b + 1) / bins;
    const above = threshold <= lo ? 1 : threshold >= hi ? 0 : (hi - threshold) / (hi - lo);
    groups.push({ score: mean, n, positives: n * mapped(map, mean), predictedPositive: n * above });
  }
  return groups.sort((a, b) => a.score - b.score);
}

/** The expected confusion matrix: a predicted-positive row is a TP with its probability, else an FP; likewise FN/TN. */
function expectedConfusion(groups: ScoreGroup[]): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const g of groups) {
    const share = g.predictedPositive / g.n;
    c.tp += g.positives * share;
    c.fp += (g.n - g.positives) * share;
    c.fn += g.positives * (1 - share);
    c.tn += (g.n - g.positives) * (1 - share);
  }
  return c;
}

/**
 * Estimated ROC AUC as NannyML's `estimate_roc_auc`: walk the rows by raw score, descending; the
 * expected TP and FP after each step are cumulative sums of c and 1 − c; the area under
 * (FPR, TPR) by trapezoids. A group of tied scores is one step.
 */
function expectedRocAuc(groups: ScoreGroup[]): number {
  let totalPos = 0;
  let totalNeg = 0;
  for (const g of groups) {
    totalPos += g.positives;
    totalNeg += g.n - g.positives;
  }
  if (!(totalPos > 0 && totalNeg > 0)) return NaN;
  let tp = 0;
  let fp = 0;
  let area = 0;
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i];
    const nextTp = tp + g.positives;
    const nextFp = fp + (g.n - g.positives);
    area += ((nextFp - fp) * (tp + nextTp)) / 2;
    tp = nextTp;
    fp = nextFp;
  }
  return area / (totalPos * totalNeg);
}

function binaryEstimate(
  groups: ScoreGroup[],
  threshold: number,
  positiveClass: string,
  map: CalibrationMap | null | undefined,
): BinaryQualityEstimate {
  const c = expectedConfusion(groups);
  const n = c.tp + c.fp + c.tn + c.fn;
  const a = accuracy(c);
  const p = precision(c);
  const r = recall(c);
  const f = f1(c);
  const auc = expectedRocAuc(groups);
  return {
    task: 'binary',
    positiveClass,
    n,
    threshold,
    calibrated: !!map,
    confusion: c,
    accuracy: band(a, proportionStandardError(a, n)),
    precision: band(p, proportionStandardError(p, c.tp + c.fp)),
    recall: band(r, proportionStandardError(r, c.tp + c.fn)),
    f1: band(f, f1StandardError(c.tp, c.fp, c.fn)),
    rocAuc: band(auc, rocAucStandardError(auc, c.tp + c.fn, c.fp + c.tn)),
  };
}

export interface BinaryEstimateInput {
  /** Histogram of the raw positive-class probability over the window (`PROBABILITY_BINS` bins over [0, 1]). */
  histogram: ProbabilityHistogram;
  /** The model's decision threshold: a row is predicted positive when p ≥ threshold. */
  threshold: number;
  positiveClass: string;
  /** The bundle's map of the positive class; none: the raw probabilities are taken as calibrated. */
  calibration?: CalibrationMap | null;
}

/** CBPE of a binary window from its probability histogram. */
export function estimateBinaryQuality(input: BinaryEstimateInput): BinaryQualityEstimate {
  checkHistogram(input.histogram, 'histogram');
  return binaryEstimate(
    groupsFromHistogram(input.histogram, input.threshold, input.calibration),
    input.threshold,
    input.positiveClass,
    input.calibration,
  );
}

/** Exact CBPE from the raw positive-class probabilities of a window (the reference the histogram form is tested against). */
export function estimateBinaryQualityFromScores(
  input: Omit<BinaryEstimateInput, 'histogram'> & { scores: Nums },
): BinaryQualityEstimate {
  return binaryEstimate(
    groupsFromScores(input.scores, input.threshold, input.calibration),
    input.threshold,
    input.positiveClass,
    input.calibration,
  );
}

export interface MulticlassEstimateInput {
  classes: string[];
  /** Per class (in `classes` order), the histogram of that class's raw probability over the window. */
  histograms: ProbabilityHistogram[];
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
}

export interface MulticlassQualityEstimate {
  task: 'multiclass';
  n: number;
  calibrated: boolean;
  classes: ClassEstimate[];
  /** Mean of the per-class one-vs-rest AUCs; its standard error takes the classes as independent. */
  macroRocAuc: Estimate;
  /**
   * Accuracy, precision, recall and F1 need, per predicted class, the probabilities of the rows
   * predicted that class; per-class marginal histograms do not say which rows those are.
   */
  notEstimated: ['accuracy', 'precision', 'recall', 'f1'];
}

/**
 * CBPE of a multiclass window from per-class probability histograms: one-vs-rest ROC AUC per
 * class (and their macro mean) and the expected class counts. The one-vs-rest maps are applied
 * without renormalising: a histogram of p_k alone does not hold the rows' other probabilities, and
 * the one-vs-rest map itself estimates P(y = k | p_k), which is what class k's figures need.
 */
export function estimateMulticlassQuality(input: MulticlassEstimateInput): MulticlassQualityEstimate {
  const { classes, histograms, predictedCounts } = input;
  if (!Array.isArray(histograms) || histograms.length !== classes.length)
    throw new MlInputError('histograms', `must hold one histogram per class (${classes.length})`);
  if (!Array.isArray(predictedCounts) || predictedCounts.length !== classes.length)
    throw new MlInputError('predictedCounts', `must hold one count per class (${classes.length})`);
  histograms.forEach((h, k) => checkHistogram(h, `histograms[${k}]`));
  const perClass = classes.map((name, k): ClassEstimate => {
    const groups = groupsFromHistogram(histograms[k], Infinity, input.calibration?.[k]);
    const expected = groups.reduce((s, g) => s + g.positives, 0);
    const n = groups.reduce((s, g) => s + g.n, 0);
    const auc = expectedRocAuc(groups);
    return {
      class: name,
      predicted: predictedCounts[k],
      expected,
      rocAuc: band(auc, rocAucStandardError(auc, expected, n - expected)),
    };
  });
  const macro = perClass.reduce((s, c) => s + c.rocAuc.value, 0) / classes.length;
  const macroSe = Math.sqrt(perClass.reduce((s, c) => s + c.rocAuc.standardError ** 2, 0)) / classes.length;
  return {
    task: 'multiclass',
    n: histograms[0].counts.reduce((a, b) => a + b, 0),
    calibrated: !!input.calibration?.some((m) => m),
    classes: perClass,
    macroRocAuc: band(macro, macroSe),
    notEstimated: ['accuracy', 'precision', 'recall', 'f1'],
  };
}
