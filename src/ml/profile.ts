/**
 * Column profiles and drift statistics. Definitions follow PostgreSQL so that a profile computed
 * here and one computed in SQL agree: `count` = non-missing values (count(col)), `std` = sample
 * standard deviation (stddev_samp, n − 1, null below 2 values), quantiles = percentile_cont.
 */
export const PROFILE_QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;
export const OTHER_CATEGORY = '__other__';

export interface Histogram {
  /** k + 1 ascending edges → k bins [e0, e1), [e1, e2), …, [e(k−1), ek] (left-closed, last bin closed). */
  edges: number[];
  counts: number[];
  /** Values below e0 and above ek: kept apart so drift outside the training range shows up. */
  below: number;
  above: number;
  /** Σ of the values per bin (reference profiles since the monitoring buckets; absent in older bundles). */
  sums?: number[];
}

export interface NumericProfile {
  kind: 'numeric';
  count: number;
  missing: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  quantiles: { p: number; value: number }[];
  histogram?: Histogram;
  /**
   * The distinct values, ascending, of a column with few of them (reference profiles since issue
   * #20's few-values rule; see `numericWithQuantileBins`): each then has a histogram bin of its own.
   */
  values?: number[];
}

export interface CategoryProfile {
  kind: 'category';
  count: number;
  missing: number;
  distinct: number;
  /** The most frequent values (count desc, then value asc); the rest is summed in `other`. */
  top: { value: string; count: number }[];
  other: number;
}

/** percentile_cont: linear interpolation between the values at floor and ceil of p·(n − 1). */
export function percentileCont(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = p * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const first = sorted[lo];
  // Same expression as PostgreSQL's float8 interpolation, for identical rounding.
  return lo === hi ? first : first + (sorted[hi] - first) * (pos - lo);
}

export function histogram(values: ArrayLike<number>, edges: number[]): Histogram {
  const k = edges.length - 1;
  if (k < 1) throw new Error('a histogram needs at least two edges');
  const counts = new Array<number>(k).fill(0);
  let below = 0;
  let above = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < edges[0]) below++;
    else if (v > edges[k]) above++;
    else if (v === edges[k]) counts[k - 1]++;
    else {
      // Binary search for the last edge <= v.
      let lo = 0;
      let hi = k - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (edges[mid] <= v) lo = mid;
        else hi = mid - 1;
      }
      counts[lo]++;
    }
  }
  return { edges: [...edges], counts, below, above };
}

/** Edges at the 0, 1/bins, …, 1 quantiles, duplicates removed (a constant column gives one bin). */
export function quantileEdges(sorted: ArrayLike<number>, bins = 10): number[] {
  if (sorted.length === 0) return [];
  const edges: number[] = [];
  for (let b = 0; b <= bins; b++) {
    const e = percentileCont(sorted, b / bins);
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  if (edges.length === 1) edges.push(edges[0]);
  return edges;
}

/** Profile of a numeric column; null, undefined and NaN count as missing. `edges` = histogram bins. */
export function numericProfile(values: ArrayLike<number | null | undefined>, edges?: number[]): NumericProfile {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && !Number.isNaN(v)) xs.push(v);
  }
  const sorted = Float64Array.from(xs).sort();
  const n = sorted.length;
  let mean: number | null = null;
  let std: number | null = null;
  if (n > 0) {
    let s = 0;
    for (const v of sorted) s += v;
    mean = s / n;
    if (n > 1) {
      let ss = 0;
      for (const v of sorted) ss += (v - mean) ** 2;
      std = Math.sqrt(ss / (n - 1));
    }
  }
  return {
    kind: 'numeric',
    count: n,
    missing: values.length - n,
    mean,
    std,
    min: n ? sorted[0] : null,
    max: n ? sorted[n - 1] : null,
    quantiles: n ? PROFILE_QUANTILES.map((p) => ({ p, value: percentileCont(sorted, p) })) : [],
    histogram: edges && edges.length > 1 ? histogram(sorted, edges) : undefined,
  };
}

export function categoryProfile(values: ArrayLike<string | null | undefined>, topN = 20): CategoryProfile {
  // A Map: category values such as "__proto__" must never become object keys.
  const freq = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) missing++;
    else freq.set(v, (freq.get(v) ?? 0) + 1);
  }
  const all = [...freq].map(([value, count]) => ({ value, count }));
  all.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const top = all.slice(0, topN);
  const other = all.slice(topN).reduce((s, e) => s + e.count, 0);
  return {
    kind: 'category',
    count: values.length - missing,
    missing,
    distinct: freq.size,
    top,
    other,
  };
}

/**
 * Population Stability Index between two count vectors over the same bins:
 * Σ (a − e) · ln(a / e) with proportions smoothed as (c/N + ε) / (1 + kε), so empty bins stay finite.
 */
export function psi(expected: number[], actual: number[], epsilon = 1e-4): number {
  if (expected.length !== actual.length) throw new Error('psi needs the same bins on both sides');
  const k = expected.length;
  const ne = expected.reduce((a, b) => a + b, 0);
  const na = actual.reduce((a, b) => a + b, 0);
  if (ne === 0 || na === 0) return NaN;
  let s = 0;
  for (let i = 0; i < k; i++) {
    const e = (expected[i] / ne + epsilon) / (1 + k * epsilon);
    const a = (actual[i] / na + epsilon) / (1 + k * epsilon);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

/**
 * PSI of category frequencies. Bins = the reference's top values + `__other__`; a current value
 * outside the reference's top falls into `__other__`.
 */
export function psiCategories(reference: CategoryProfile, current: ReadonlyMap<string, number>): number {
  const index = new Map(reference.top.map((t, i) => [t.value, i]));
  const expected = [...reference.top.map((t) => t.count), reference.other];
  const actual = new Array<number>(expected.length).fill(0);
  for (const [value, count] of current) actual[index.get(value) ?? expected.length - 1] += count;
  return psi(expected, actual);
}

/** Two-sample Kolmogorov–Smirnov statistic: the largest gap between the two empirical CDFs. */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  if (x.length === 0 || y.length === 0) return NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}
