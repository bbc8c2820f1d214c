import { MlInputError } from '../errors';

type Nums = ArrayLike<number>;

/** Bins of the probability histogram monitoring keeps per window: 100 equal-width bins over [0, 1]. */
export const PROBABILITY_BINS = 100;

/** Per bin, how many probabilities fell in it and their sum (so each bin's mean is exact). */
export interface ProbabilityHistogram {
  counts: number[];
  sums: number[];
}

/**
 * The bin of a probability: bin b holds b/B ≤ p < (b+1)/B, the last also 1. Decided against the
 * edges b/B themselves, not `floor(p·B)` alone (0.29 · 100 = 28.999…), so that a threshold on an
 * edge splits the histogram exactly where `p ≥ threshold` does.
 */
export function probabilityBin(p: number, bins = PROBABILITY_BINS): number {
  let b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
  if (b > 0 && p < b / bins) b--;
  else if (b < bins - 1 && p >= (b + 1) / bins) b++;
  return b;
}

export function probabilityHistogram(p: Nums, bins = PROBABILITY_BINS): ProbabilityHistogram {
  const counts = new Array<number>(bins).fill(0);
  const sums = new Array<number>(bins).fill(0);
  for (let i = 0; i < p.length; i++) {
    const b = probabilityBin(p[i], bins);
    counts[b]++;
    sums[b] += p[i];
  }
  return { counts, sums };
}

/** Throws `MlInputError(field)` unless counts and sums are arrays of one length of non-negative finite numbers. */
export function checkHistogram(h: ProbabilityHistogram, field: string): void {
  const ok = (a: unknown): a is number[] =>
    Array.isArray(a) && a.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0);
  if (!h || !ok(h.counts) || !ok(h.sums) || h.counts.length === 0 || h.counts.length !== h.sums.length)
    throw new MlInputError(field, 'must be { counts, sums }: arrays of one length of non-negative numbers');
}
