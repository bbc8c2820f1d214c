/**
 * The pieces CBPE's binary and multiclass forms share: rows grouped by score (one raw score, or one
 * histogram bin at its mean), each group's expected positives from the calibration map, and the
 * expected confusion matrix and ROC AUC of a list of groups. Internal to src/ml/quality.
 */
import { calibrate, type CalibrationMap } from '../calibration';
import type { Confusion } from '../metrics';
import type { ProbabilityHistogram } from './histogram';

type Nums = ArrayLike<number>;

/** Rows sharing one raw score (or one bin): how many, how many are expected positive, the share predicted positive. */
export interface ScoreGroup {
  score: number;
  n: number;
  positives: number;
  predictedPositive: number;
}

export const mapped = (map: CalibrationMap | null | undefined, p: number) => (map ? calibrate(map, p) : p);

/** Exact CBPE on raw scores: each distinct score is one group (tied scores cross a threshold together). */
export function groupsFromScores(p: Nums, threshold: number, map?: CalibrationMap | null): ScoreGroup[] {
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
export function groupsFromHistogram(
  h: ProbabilityHistogram,
  threshold: number,
  map?: CalibrationMap | null,
): ScoreGroup[] {
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
export function expectedConfusion(groups: ScoreGroup[]): Confusion {
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
export function expectedRocAuc(groups: ScoreGroup[]): number {
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
