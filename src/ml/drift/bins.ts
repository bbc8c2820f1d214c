/**
 * What the monitoring keeps of a numeric feature per time bucket instead of its values: counts per
 * reference bin (the training profile's edges), values below and above the edges, and the sums of
 * those out-of-range values, which make the tails of the binned Wasserstein distance exact. Buckets
 * of several replicas or minutes add up field by field (`addBinCounts`).
 */
export interface BinCounts {
  /** Per bin [e0, e1), [e1, e2), …, [e(k−1), ek] of the shared edges. */
  counts: ArrayLike<number>;
  below: number;
  above: number;
  /** Σ of the values per bin: lets the binned Wasserstein place each bin's mass (optional). */
  sums?: ArrayLike<number>;
  /** Σ of the values below e0 / above ek; absent, those values are taken to sit on the edge. */
  belowSum?: number;
  aboveSum?: number;
}

/**
 * Bin counts of raw values on `edges` (NaN, null and undefined are skipped: they are missing), the
 * same left-closed bins as profile.ts `histogram`; `sums` also keeps Σ per bin.
 */
export function binCounts(
  values: ArrayLike<number | null | undefined>,
  edges: ArrayLike<number>,
  { sums = false }: { sums?: boolean } = {},
): BinCounts {
  const k = edges.length - 1;
  if (k < 1) throw new Error('bins need at least two edges');
  const counts = new Array<number>(k).fill(0);
  const perBin = sums ? new Array<number>(k).fill(0) : undefined;
  let below = 0;
  let above = 0;
  let belowSum = 0;
  let aboveSum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || Number.isNaN(v)) continue;
    const bin = binIndex(edges, v);
    if (bin === -1) {
      below++;
      belowSum += v;
    } else if (bin === k) {
      above++;
      aboveSum += v;
    } else {
      counts[bin]++;
      if (perBin) perBin[bin] += v;
    }
  }
  return { counts, below, above, belowSum, aboveSum, ...(perBin ? { sums: perBin } : {}) };
}

/** −1 below the first edge, k above the last, else the bin [e_i, e_i+1) holding v (the last bin is closed). */
export function binIndex(edges: ArrayLike<number>, v: number): number {
  const k = edges.length - 1;
  if (v < edges[0]) return -1;
  if (v > edges[k]) return k;
  if (v === edges[k]) return k - 1;
  let lo = 0;
  let hi = k - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Sum of buckets on the same edges (the sums are kept only if every bucket has them). */
export function addBinCounts(a: BinCounts, b: BinCounts): BinCounts {
  if (a.counts.length !== b.counts.length) throw new Error('bin counts on different edges cannot be added');
  const counts = Array.from(a.counts, (c, i) => c + b.counts[i]);
  const sum = (x?: number, y?: number) => (x === undefined || y === undefined ? undefined : x + y);
  const out: BinCounts = {
    counts,
    below: a.below + b.below,
    above: a.above + b.above,
    belowSum: sum(a.belowSum, b.belowSum),
    aboveSum: sum(a.aboveSum, b.aboveSum),
  };
  if (a.sums && b.sums) out.sums = Array.from(a.sums, (s, i) => s + (b.sums as ArrayLike<number>)[i]);
  return out;
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
