/**
 * Evidently's default per-column choice of drift test and its thresholds (legacy
 * calculations/stattests/registry.py `_get_default_stattest`, each StatTest's default_threshold,
 * `get_dataset_drift`), with the thresholds as settings, and the column verdicts computed from the
 * counts the monitoring keeps.
 */
import { psi } from '../profile';
import { binTotal, binVector, type BinCounts } from './bins';
import {
  alignCounts,
  chiSquareTest,
  jensenShannon,
  proportionZTest,
  unseenCategories,
  type ChiSquareResult,
  type UnseenCategories,
} from './categorical';
import { binnedKsTest, type KsResult } from './ks';
import { binnedWasserstein, normWasserstein } from './wasserstein';

export type DriftMethod = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon';

export interface DriftSettings {
  /** Reference rows up to which a statistical test is used, above which a distance (Evidently: 1,000). */
  smallReferenceRows: number;
  /** p-value under which KS, chi-squared and z find drift (Evidently's default_threshold 0.05; KS: p ≤). */
  pValueThreshold: number;
  /** Distance from which normed Wasserstein and Jensen–Shannon find drift (Evidently: 0.1, ≥). */
  distanceThreshold: number;
  /** Share of drifted columns from which the dataset drifts (Evidently's drift_share: 0.5, ≥). */
  driftShare: number;
  /** Window rows (with a value) below which nothing is concluded. Not Evidently's: ours, see README. */
  minWindowRows: number;
  /** A numeric column with at most this many distinct values is tested as a category (Evidently: 5). */
  fewValues: number;
}

export const DEFAULT_DRIFT_SETTINGS: Readonly<DriftSettings> = Object.freeze({
  smallReferenceRows: 1000,
  pValueThreshold: 0.05,
  distanceThreshold: 0.1,
  driftShare: 0.5,
  minWindowRows: 100,
  fewValues: 5,
});

/**
 * `distinctValues` = distinct values of reference and current together for categories. Evidently
 * (legacy calculations/stattests/registry.py, `_get_default_stattest`) also tests a numerical
 * column with at most 5 distinct values (`n_values`, reference and current together) as a
 * category: chi-squared, or the z-test for at most 2 values, on a small reference; Jensen–Shannon
 * on a large one. For numbers ours is the reference's count (`NumericProfile.values`: the window's
 * values are kept only as bin counts), undefined when the profile predates it (tested as numbers).
 */
export function selectDriftMethod(
  kind: 'numeric' | 'category',
  referenceRows: number,
  distinctValues: number | undefined,
  settings: DriftSettings = DEFAULT_DRIFT_SETTINGS,
): DriftMethod {
  const small = referenceRows <= settings.smallReferenceRows;
  const asCategory = kind === 'category' || (distinctValues !== undefined && distinctValues <= settings.fewValues);
  if (asCategory) {
    if (!small) return 'jensenshannon';
    return distinctValues !== undefined && distinctValues <= 2 ? 'z' : 'chisquare';
  }
  return small ? 'ks' : 'wasserstein';
}

/** A NaN score (no test possible) is no drift, as in Evidently (NaN < threshold is false). */
export function isDrift(method: DriftMethod, score: number, settings: DriftSettings = DEFAULT_DRIFT_SETTINGS): boolean {
  switch (method) {
    case 'ks':
      return score <= settings.pValueThreshold;
    case 'chisquare':
    case 'z':
      return score < settings.pValueThreshold;
    case 'wasserstein':
    case 'jensenshannon':
      return score >= settings.distanceThreshold;
  }
}

export type NoVerdictReason = 'window_too_small' | 'no_reference';

export interface ColumnDrift {
  method: DriftMethod;
  /** The chosen method's score: a p-value (ks, chisquare, z) or a distance; null without a verdict. */
  score: number | null;
  drifted: boolean | null;
  reason?: NoVerdictReason;
  referenceRows: number;
  currentRows: number;
  psi: number;
  jensenShannon: number;
  /** Categories only; the z-test only with at most two values. */
  chiSquare?: ChiSquareResult;
  zTest?: number;
  /** Numbers only. */
  ks?: KsResult;
  normedWasserstein?: number;
  unseen?: UnseenCategories;
}

export interface NumericDriftInput {
  /** The reference profile's histogram edges; both sides are counted on them. */
  edges: ArrayLike<number>;
  reference: BinCounts;
  /** Population std of the reference (see populationStdFromSample for a profile's sample std). */
  referenceStd: number;
  current: BinCounts;
  /**
   * The reference's distinct values, one bin each (`NumericProfile.values`), when it has few. Up to
   * `settings.fewValues` of them the column is tested as a category of those values.
   */
  values?: ArrayLike<number>;
}

const isCategoryMethod = (m: DriftMethod) => m === 'chisquare' || m === 'z' || m === 'jensenshannon';

/**
 * A few-valued number as a category: each bin is one reference value; a current value outside the
 * training range is one more value (`< min`, `> max`) the reference never had. A current value
 * inside the range but not among the reference's is counted with the value whose bin holds it.
 */
function fewValuesDrift(input: NumericDriftInput, values: ArrayLike<number>, settings: DriftSettings): ColumnDrift {
  const side = (b: BinCounts) => {
    const m = new Map<string, number>();
    for (let i = 0; i < values.length; i++) if (b.counts[i] > 0) m.set(String(values[i]), b.counts[i]);
    if (b.below > 0) m.set(`< ${values[0]}`, b.below);
    if (b.above > 0) m.set(`> ${values[values.length - 1]}`, b.above);
    return m;
  };
  return categoryColumnDrift(side(input.reference), side(input.current), settings);
}

/**
 * All the numeric statistics from bin counts, and the verdict of KS or normed Wasserstein; with
 * the reference's few distinct values (`values`, one bin each), as Evidently, a category's
 * statistics and verdict (chi-squared, z or Jensen–Shannon) instead.
 */
export function numericColumnDrift(input: NumericDriftInput, settings = DEFAULT_DRIFT_SETTINGS): ColumnDrift {
  const referenceRows = binTotal(input.reference);
  const currentRows = binTotal(input.current);
  const values = input.values && input.values.length === input.reference.counts.length ? input.values : undefined;
  const method = selectDriftMethod('numeric', referenceRows, values?.length, settings);
  if (values && isCategoryMethod(method)) return fewValuesDrift(input, values, settings);
  const ks = binnedKsTest(input.reference, input.current);
  const normed = normWasserstein(binnedWasserstein(input.edges, input.reference, input.current), input.referenceStd);
  const ref = binVector(input.reference);
  const cur = binVector(input.current);
  const stats = { psi: psi(ref, cur), jensenShannon: jensenShannon(ref, cur), ks, normedWasserstein: normed };
  const score = method === 'ks' ? ks.pValue : normed;
  return { ...verdict(method, score, referenceRows, currentRows, settings), ...stats };
}

/** Category counts of reference (e.g. the profile's top values, the rest under one key) and window. */
export function categoryColumnDrift(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
  settings = DEFAULT_DRIFT_SETTINGS,
): ColumnDrift {
  const aligned = alignCounts(reference, current);
  let referenceRows = 0;
  let currentRows = 0;
  for (let i = 0; i < aligned.keys.length; i++) {
    referenceRows += aligned.reference[i];
    currentRows += aligned.current[i];
  }
  const method = selectDriftMethod('category', referenceRows, aligned.keys.length, settings);
  const known = new Set(aligned.keys.filter((_, i) => aligned.reference[i] > 0));
  const stats = {
    psi: aligned.keys.length ? psi(Array.from(aligned.reference), Array.from(aligned.current)) : NaN,
    jensenShannon: jensenShannon(aligned.reference, aligned.current),
    chiSquare: chiSquareTest(aligned.reference, aligned.current),
    ...(aligned.keys.length <= 2 ? { zTest: proportionZTest(aligned.reference, aligned.current) } : {}),
    unseen: unseenCategories(known, current),
  };
  const score =
    method === 'jensenshannon' ? stats.jensenShannon : method === 'z' ? (stats.zTest ?? NaN) : stats.chiSquare.pValue;
  return { ...verdict(method, score, referenceRows, currentRows, settings), ...stats };
}

function verdict(
  method: DriftMethod,
  score: number,
  referenceRows: number,
  currentRows: number,
  settings: DriftSettings,
): Pick<ColumnDrift, 'method' | 'score' | 'drifted' | 'reason' | 'referenceRows' | 'currentRows'> {
  const base = { method, referenceRows, currentRows };
  if (referenceRows === 0) return { ...base, score: null, drifted: null, reason: 'no_reference' };
  if (currentRows < settings.minWindowRows) return { ...base, score: null, drifted: null, reason: 'window_too_small' };
  return { ...base, score, drifted: isDrift(method, score, settings) };
}

export interface DatasetDrift {
  /** Columns with a verdict. */
  evaluated: number;
  drifted: number;
  share: number | null;
  /** null when no column has a verdict. */
  drift: boolean | null;
}

export function datasetDrift(
  verdicts: ReadonlyArray<boolean | null>,
  settings: DriftSettings = DEFAULT_DRIFT_SETTINGS,
): DatasetDrift {
  let evaluated = 0;
  let drifted = 0;
  for (const v of verdicts) {
    if (v === null) continue;
    evaluated++;
    if (v) drifted++;
  }
  if (evaluated === 0) return { evaluated, drifted, share: null, drift: null };
  const share = drifted / evaluated;
  return { evaluated, drifted, share, drift: share >= settings.driftShare };
}
