/**
 * First Wasserstein distance W₁ = ∫ |F(x) − G(x)| dx between two samples (scipy.stats.
 * wasserstein_distance, unweighted), and Evidently's normed version: W₁ divided by the
 * reference's population standard deviation (numpy's std, ddof 0), floored at 0.001.
 */
import { forEachSegment } from './bin-model';
import { binTotal, type BinCounts } from './bins';

/** Evidently's floor on the reference std, so a constant reference does not divide by zero. */
export const WASSERSTEIN_STD_FLOOR = 0.001;

/** NaN when a sample is empty. */
export function wasserstein(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  if (x.length === 0 || y.length === 0) return NaN;
  let i = 0;
  let j = 0;
  let prev = Math.min(x[0], y[0]);
  let w = 0;
  while (i < x.length || j < y.length) {
    const v = Math.min(i < x.length ? x[i] : Infinity, j < y.length ? y[j] : Infinity);
    w += Math.abs(i / x.length - j / y.length) * (v - prev);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    prev = v;
  }
  return w;
}

export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / n);
}

/** A profile's std is the sample one (n − 1, as stddev_samp); Evidently norms by the population one. */
export function populationStdFromSample(sampleStd: number | null, count: number): number {
  if (sampleStd === null || count < 2) return 0;
  return sampleStd * Math.sqrt((count - 1) / count);
}

export function normWasserstein(distance: number, referenceStd: number): number {
  return distance / Math.max(referenceStd, WASSERSTEIN_STD_FLOOR);
}

/** Evidently's normed Wasserstein distance on raw samples (reference first). */
export function normedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  return normWasserstein(wasserstein(reference, current), populationStd(reference));
}

/**
 * W₁ from bin counts on shared `edges`, on the bin model of `bin-model.ts` (exact |F − G| integral
 * of piecewise-linear CDFs). Below e0 and above ek the distance is Σ(e0 − v) and Σ(v − ek) from
 * the kept sums, exact when one side has no values there (the training reference, whose edges are
 * its min and max). How close it comes to the exact value is measured in binned.spec.ts.
 */
export function binnedWasserstein(edges: ArrayLike<number>, reference: BinCounts, current: BinCounts): number {
  const k = edges.length - 1;
  if (reference.counts.length !== k || current.counts.length !== k) {
    throw new Error('binned Wasserstein needs counts for each bin of the edges on both sides');
  }
  const nr = binTotal(reference);
  const nc = binTotal(current);
  if (nr === 0 || nc === 0) return NaN;
  const lo = edges[0];
  const hi = edges[k];
  // Mean distance of the tail values to the edge, per side; values without a kept sum sit on it.
  const tail = (count: number, sum: number | undefined, edge: number, sign: number, n: number) =>
    sum === undefined ? 0 : (sign * (sum - count * edge)) / n;
  let w = Math.abs(
    tail(current.below, current.belowSum, lo, -1, nc) - tail(reference.below, reference.belowSum, lo, -1, nr),
  );
  w += Math.abs(
    tail(current.above, current.aboveSum, hi, 1, nc) - tail(reference.above, reference.aboveSum, hi, 1, nr),
  );
  forEachSegment(edges, reference, current, (s, t, d0, d1) => {
    w += (t - s) * integralOfAbsLinear(d0, d1);
  });
  return w;
}

/** ∫₀¹ |a + (b − a)t| dt. */
function integralOfAbsLinear(a: number, b: number): number {
  if (a * b >= 0) return (Math.abs(a) + Math.abs(b)) / 2;
  return (a * a + b * b) / (2 * (Math.abs(a) + Math.abs(b)));
}
