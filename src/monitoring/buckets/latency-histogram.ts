/**
 * The request latencies of a bucket: LATENCY_BINS log-spaced bins from LATENCY_MIN_MS to
 * LATENCY_MAX_MS (a bin's upper edge is LATENCY_RATIO times its lower one), one count per answered
 * request; a latency below the first edge counts in the first bin, one above the last in the last.
 * Fixed edges, so histograms of any bucket add up bin by bin, like the other fields.
 */
export const LATENCY_BINS = 40;
export const LATENCY_MIN_MS = 0.1;
export const LATENCY_MAX_MS = 60_000;
/** ≈ 1.395: a quantile read from the histogram is within this factor of the true one (in range). */
export const LATENCY_RATIO = (LATENCY_MAX_MS / LATENCY_MIN_MS) ** (1 / LATENCY_BINS);
const LOG_MIN = Math.log(LATENCY_MIN_MS);
const LOG_RATIO = Math.log(LATENCY_RATIO);

/** Lower edge of bin `i` (i = LATENCY_BINS: the upper edge of the last). */
export const latencyEdge = (i: number): number => LATENCY_MIN_MS * LATENCY_RATIO ** i;

/** The bin of a latency in ms: one log and a floor, no allocation (it runs on the predict path). */
export function latencyBin(ms: number): number {
  if (!(ms > LATENCY_MIN_MS)) return 0;
  const i = Math.floor((Math.log(ms) - LOG_MIN) / LOG_RATIO);
  return i >= LATENCY_BINS ? LATENCY_BINS - 1 : i;
}

export const emptyLatency = (): number[] => new Array<number>(LATENCY_BINS).fill(0);

/**
 * The `q` quantile (0 < q ≤ 1) of a latency histogram, interpolated geometrically inside its bin
 * (log-linear, as the bins are); null for an empty one. The true quantile lies in the same bin, so
 * the estimate is within a factor LATENCY_RATIO of it (−28% / +39.5% at worst) for latencies
 * inside [LATENCY_MIN_MS, LATENCY_MAX_MS]; outside, it is clamped to the range.
 */
export function latencyQuantile(counts: ReadonlyArray<number>, q: number): number | null {
  let total = 0;
  for (const c of counts) total += c;
  if (total <= 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c <= 0) continue;
    if (seen + c >= rank) {
      const within = Math.min(Math.max((rank - seen) / c, 0), 1);
      return latencyEdge(i + within);
    }
    seen += c;
  }
  return latencyEdge(counts.length);
}
