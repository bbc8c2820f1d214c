/**
 * Standard errors of a window's figures for n predictions, analytic (NannyML's sampling error is
 * the standard error of the mean of observation-level values, ±3 of them; here the observation-level
 * spread is that of the window's own estimate instead of the reference's, so a window whose class
 * balance moved gets its own).
 */

/** A figure with its band: value ± 3 standard errors, clipped to [0, 1]. */
export interface Estimate {
  value: number;
  standardError: number;
  lower: number;
  upper: number;
}

/** NannyML's sampling error: ±3 standard errors. */
export const BAND_STANDARD_ERRORS = 3;

export function band(value: number, standardError: number): Estimate {
  const half = BAND_STANDARD_ERRORS * standardError;
  return {
    value,
    standardError,
    lower: Math.max(0, value - half),
    upper: Math.min(1, value + half),
  };
}

/** A proportion q of n trials: √(q(1 − q)/n) (accuracy over n, precision over predicted positives, recall over positives). */
export function proportionStandardError(q: number, n: number): number {
  return n > 0 ? Math.sqrt((q * (1 - q)) / n) : NaN;
}

/**
 * F1 = 2TP / (2TP + FP + FN) as NannyML writes it: the mean over the m = TP + FP + FN relevant rows
 * of k·[row is a TP], k = m / (TP + (FP + FN)/2). Its standard error is k·√(q(1 − q)/m), q = TP/m.
 */
export function f1StandardError(tp: number, fp: number, fn: number): number {
  const m = tp + fp + fn;
  if (!(m > 0)) return NaN;
  const k = m / (tp + (fp + fn) / 2);
  return k * proportionStandardError(tp / m, m);
}

/** ROC AUC: Hanley & McNeil (1982), with Q₁ = A/(2 − A) and Q₂ = 2A²/(1 + A). */
export function rocAucStandardError(auc: number, positives: number, negatives: number): number {
  if (!(positives > 0 && negatives > 0) || !Number.isFinite(auc)) return NaN;
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance =
    (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) /
    (positives * negatives);
  return Math.sqrt(Math.max(0, variance));
}
