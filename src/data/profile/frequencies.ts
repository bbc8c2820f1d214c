import type { Histogram } from '../../ml';

/**
 * Exact statistics of a numeric column from its value frequencies (distinct values ascending,
 * with counts), as returned by one GROUP BY. Same definitions as the ML library (percentile_cont
 * linear interpolation; histogram bins left-closed, last bin closed) without materialising or
 * sorting every value.
 */
export interface Frequencies {
  values: number[];
  counts: number[];
}

/** The k-th value (0-based) of the sorted multiset. */
function valueAt(f: Frequencies, cumulative: number[], k: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > k) hi = mid;
    else lo = mid + 1;
  }
  return f.values[lo];
}

export function quantilesFromFrequencies(f: Frequencies, probabilities: number[]): number[] {
  const cumulative: number[] = [];
  let n = 0;
  for (const c of f.counts) cumulative.push((n += c));
  if (n === 0) return [];
  return probabilities.map((p) => {
    const pos = p * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const first = valueAt(f, cumulative, lo);
    // Same expression as PostgreSQL's float8 interpolation (and ml percentileCont).
    return lo === hi ? first : first + (valueAt(f, cumulative, hi) - first) * (pos - lo);
  });
}

export function histogramFromFrequencies(f: Frequencies, edges: number[]): Histogram {
  const k = edges.length - 1;
  const counts = new Array<number>(k).fill(0);
  let below = 0;
  let above = 0;
  f.values.forEach((v, i) => {
    const c = f.counts[i];
    if (v < edges[0]) below += c;
    else if (v > edges[k]) above += c;
    else if (v === edges[k]) counts[k - 1] += c;
    else {
      let b = 0;
      while (b + 1 < k && edges[b + 1] <= v) b++;
      counts[b] += c;
    }
  });
  return { edges, counts, below, above };
}
