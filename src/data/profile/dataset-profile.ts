import {
  OTHER_CATEGORY,
  PROFILE_QUANTILES,
  type CategoryProfile,
  type Histogram,
  type NumericProfile,
  type ColumnType,
} from '../../ml';

/**
 * A version's column profile, in the ML library's shapes (src/ml/profile.ts) so monitoring can
 * compare live windows with it directly. Gathered while importing, finished in PostgreSQL only
 * for high-cardinality columns (profile-accumulator.ts, profile-query.ts), with the same
 * definitions: count = non-missing, std = sample std as stddev_samp (n − 1; Welford in the app,
 * equal to stddev_samp within ~1e-12 relative, documented tolerance 1e-9), quantiles =
 * percentile_cont (exact), histogram over decile edges (ml `quantileEdges`), categories sorted
 * by count desc then value in code point order (COLLATE "C").
 */
export interface ColumnProfile {
  name: string;
  type: ColumnType;
  profile: NumericProfile | CategoryProfile;
}

export interface DatasetProfile {
  rows: number;
  /** Categories beyond the top N are summed in `other` (ml OTHER_CATEGORY bin for PSI). */
  topN: number;
  otherLabel: typeof OTHER_CATEGORY;
  columns: ColumnProfile[];
}

export const TOP_N = 20;
export const HISTOGRAM_BINS = 10;

/** The probabilities asked of percentile_cont: the profile quantiles, then the decile edges. */
export function quantileProbabilities(): number[] {
  const deciles = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, b) => b / HISTOGRAM_BINS);
  return [...PROFILE_QUANTILES, ...deciles];
}

/** Decile values → strictly ascending edges; a constant column gives [v, v] (one bin), as ml `quantileEdges`. */
export function edgesFromDeciles(deciles: number[]): number[] {
  const edges: number[] = [];
  for (const e of deciles) if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  if (edges.length === 1) edges.push(edges[0]);
  return edges;
}

/**
 * Counts per bin from `width_bucket(x, edges)` groups, where the query already mapped x equal to
 * the last edge into bin k (the last bin is closed, as in ml `histogram`).
 */
export function histogramFromBuckets(edges: number[], buckets: { bucket: number; count: number }[]): Histogram {
  const k = edges.length - 1;
  const counts = new Array<number>(k).fill(0);
  let below = 0;
  let above = 0;
  for (const { bucket, count } of buckets) {
    if (bucket <= 0) below += count;
    else if (bucket > k) above += count;
    else counts[bucket - 1] += count;
  }
  return { edges, counts, below, above };
}

export interface NumericSummary {
  rows: number;
  count: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  /** percentile_cont at quantileProbabilities(); null when the column has no value. */
  quantiles: number[] | null;
}

export function numericFromSummary(s: NumericSummary, histogram?: Histogram): NumericProfile {
  const qs = s.quantiles ?? [];
  return {
    kind: 'numeric',
    count: s.count,
    missing: s.rows - s.count,
    mean: s.mean,
    std: s.std,
    min: s.min,
    max: s.max,
    quantiles: s.count ? PROFILE_QUANTILES.map((p, i) => ({ p, value: qs[i] })) : [],
    histogram,
  };
}

export function categoryFromTop(
  rows: number,
  count: number,
  distinct: number,
  top: { value: string; count: number }[],
): CategoryProfile {
  const inTop = top.reduce((s, t) => s + t.count, 0);
  return { kind: 'category', count, missing: rows - count, distinct, top, other: count - inTop };
}
