/**
 * Confidence-based performance estimation (NannyML's CBPE): with calibrated probabilities, a
 * prediction with probability c of the positive class is a true positive with probability c when
 * predicted positive (else a false negative with probability c), so the window's expected confusion
 * matrix is a sum of probabilities, and every figure follows from it. Input: the window's histogram
 * of raw positive-class probabilities (what monitoring buckets keep), or raw scores (exact, for
 * tests and recomputation); the calibration map is applied to each bin's mean.
 */
import type { CalibrationMap } from '../calibration';
import { accuracy, f1, precision, recall, type Confusion } from '../metrics';
import {
  expectedConfusion,
  expectedRocAuc,
  groupsFromHistogram,
  groupsFromScores,
  type ScoreGroup,
} from './cbpe-groups';
import { checkHistogram, type ProbabilityHistogram } from './histogram';
import { band, f1StandardError, proportionStandardError, rocAucStandardError, type Estimate } from './sampling-error';

type Nums = ArrayLike<number>;

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
