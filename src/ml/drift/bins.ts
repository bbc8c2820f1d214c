/**
 * What the monitoring keeps of a numeric feature per time bucket instead of its values: counts per
 * reference bin (the training profile's edges), values below and above the edges, and the sums of
 * those out-of-range values, which make the tails of the binned Wasserstein distance exact. Buckets
 * of several replicas or minutes add up field by field (`addBinCounts`).
 */
import { histogram } from '../profile';

export interface BinCounts {
  /** Per bin [e0, e1), [e1, e2), …, [e(k−1), ek] of the shared edges. */
  counts: ArrayLike<number>;
  below: number;
  above: number;
  /** Σ of the values below e0 / above ek; absent, those values are taken to sit on the edge. */
  belowSum?: number;
  aboveSum?: number;
}

/** Bin counts of raw values on `edges` (NaN, null and undefined are skipped: they are missing). */
export function binCounts(values: ArrayLike<number | null | undefined>, edges: number[]): BinCounts {
  const present: number[] = [];
  let belowSum = 0;
  let aboveSum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || Number.isNaN(v)) continue;
    present.push(v);
    if (v < edges[0]) belowSum += v;
    else if (v > edges[edges.length - 1]) aboveSum += v;
  }
  const h = histogram(present, edges);
  return { counts: h.counts, below: h.below, above: h.above, belowSum, aboveSum };
}

/** Sum of buckets on the same edges (the sums are kept only if every bucket has them). */
export function addBinCounts(a: BinCounts, b: BinCounts): BinCounts {
  if (a.counts.length !== b.counts.length) throw new Error('bin counts on different edges cannot be added');
  const counts = Array.from(a.counts, (c, i) => c + b.counts[i]);
  const sum = (x?: number, y?: number) => (x === undefined || y === undefined ? undefined : x + y);
  return {
    counts,
    below: a.below + b.below,
    above: a.above + b.above,
    belowSum: sum(a.belowSum, b.belowSum),
    aboveSum: sum(a.aboveSum, b.aboveSum),
  };
}

export function binTotal(b: BinCounts): number {
  let s = b.below + b.above;
  for (let i = 0; i < b.counts.length; i++) s += b.counts[i];
  return s;
}

/** The bins as one vector [below, …counts, above], the layout PSI and Jensen–Shannon compare. */
export function binVector(b: BinCounts): number[] {
  return [b.below, ...Array.from(b.counts), b.above];
}
