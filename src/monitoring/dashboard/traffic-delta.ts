import type { TrafficTickEvent } from './traffic-tick.event';

/** Inference's request-time histogram (src/inference/inference-metrics.ts): one series per version, alias, protocol and outcome. */
export const LATENCY_FAMILY = 'mlapi_predict_request_duration_seconds';
/** Shadow scoring is recorded under this alias; it is no caller's request. */
const SHADOW_ALIAS = 'shadow';

/** One series' cumulative histogram: the finite bounds (seconds) with their cumulative counts, and the total. */
export interface HistogramSnapshot {
  labels: Record<string, string>;
  bounds: number[];
  cumulative: number[];
  count: number;
}

interface Sample {
  metricName?: string;
  labels: Partial<Record<string, string | number>>;
  value: number;
}

/** Groups a histogram family's samples (prom-client's `get()`) into one snapshot per series. */
export function snapshots(values: readonly Sample[]): Map<string, HistogramSnapshot> {
  const out = new Map<string, HistogramSnapshot>();
  for (const { metricName, labels, value } of values) {
    const { le, ...rest } = labels;
    const own = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v ?? '')]));
    const key = JSON.stringify(Object.entries(own).sort(([a], [b]) => a.localeCompare(b)));
    let s = out.get(key);
    if (!s) out.set(key, (s = { labels: own, bounds: [], cumulative: [], count: 0 }));
    if (metricName?.endsWith('_count')) s.count = value;
    else if (metricName?.endsWith('_bucket') && le !== '+Inf' && le !== undefined) {
      s.bounds.push(Number(le));
      s.cumulative.push(value);
    }
  }
  return out;
}

/** What a series grew by since `before` (all of it when it was removed and made again: its count fell). */
function grown(now: HistogramSnapshot, before: HistogramSnapshot | undefined): HistogramSnapshot {
  if (!before || before.count > now.count || before.bounds.length !== now.bounds.length) return now;
  return {
    ...now,
    cumulative: now.cumulative.map((c, i) => c - before.cumulative[i]),
    count: now.count - before.count,
  };
}

/**
 * The q-quantile of a cumulative histogram, interpolated linearly inside its bucket as
 * Prometheus's `histogram_quantile` does; past the last finite bound, that bound.
 */
export function histogramQuantile(q: number, bounds: readonly number[], cumulative: readonly number[], count: number) {
  if (count <= 0) return null;
  const rank = q * count;
  for (let i = 0; i < bounds.length; i++) {
    if (cumulative[i] >= rank) {
      const lower = i === 0 ? 0 : bounds[i - 1];
      const below = i === 0 ? 0 : cumulative[i - 1];
      const inBucket = cumulative[i] - below;
      return inBucket > 0 ? lower + ((bounds[i] - lower) * (rank - below)) / inBucket : bounds[i];
    }
  }
  return bounds.length ? bounds[bounds.length - 1] : null;
}

const ms = (seconds: number | null) => (seconds === null ? 0 : Math.round(seconds * 1e6) / 1e3);

/**
 * The traffic of one interval per model version and alias, from two snapshots of the latency
 * histogram: requests (every outcome), errors (`invalid` or `error`) and the answered requests'
 * latency quantiles. Versions without requests in the interval are left out.
 */
export function trafficBetween(
  before: Map<string, HistogramSnapshot>,
  now: Map<string, HistogramSnapshot>,
): TrafficTickEvent['models'] {
  const byVersion = new Map<
    string,
    { model: string; version: number; alias: string; requests: number; errors: number; ok?: HistogramSnapshot }
  >();
  for (const [key, snapshot] of now) {
    const { model, version, alias, outcome } = snapshot.labels;
    if (alias === SHADOW_ALIAS) continue;
    const d = grown(snapshot, before.get(key));
    if (d.count <= 0) continue;
    const id = `${model}\u0000${version}\u0000${alias}`;
    let v = byVersion.get(id);
    if (!v) byVersion.set(id, (v = { model, version: Number(version), alias, requests: 0, errors: 0 }));
    v.requests += d.count;
    if (outcome !== 'ok') v.errors += d.count;
    else if (!v.ok) v.ok = d;
    else
      v.ok = { ...v.ok, cumulative: v.ok.cumulative.map((c, i) => c + d.cumulative[i]), count: v.ok.count + d.count };
  }
  return [...byVersion.values()].map(({ ok, ...v }) => ({
    ...v,
    latencyMs: ok
      ? {
          p50: ms(histogramQuantile(0.5, ok.bounds, ok.cumulative, ok.count)),
          p95: ms(histogramQuantile(0.95, ok.bounds, ok.cumulative, ok.count)),
          p99: ms(histogramQuantile(0.99, ok.bounds, ok.cumulative, ok.count)),
        }
      : null,
  }));
}
