/**
 * The traffic series' arithmetic, without I/O: the slots of a range, and the points from the
 * buckets' traffic fields and the error counts per slot.
 */
import { SHADOW_ALIAS, type BucketRow } from '../buckets/monitoring-buckets.service';
import { addLatency, type NumericAggregate } from '../buckets/bucket-aggregate';
import { latencyQuantile } from '../buckets/latency-histogram';
import type { TrafficPointDto, VersionTrafficDto } from './dto/traffic.dto';

const MINUTE = 60_000;
const HOUR = 3_600_000;

export interface Slots {
  /** First slot's start (ms): a multiple of `slotMs` since the epoch. */
  start: number;
  slotMs: number;
  count: number;
}

/**
 * Slots of whole minutes (of whole hours from one hour up, so each hour's roll-up falls in one
 * slot), aligned to multiples of the slot since the epoch so that a later read of the same width
 * gets the same slots: the slot holding `to` (its last instant) and those before it, back to the
 * one holding `from`, at most `points` of them (a range off the slots' edges may so lose the part
 * of its first slot before the first point, less than one slot).
 */
export function trafficSlots(from: number, to: number, points: number): Slots {
  let slotMs = Math.max(MINUTE, Math.ceil((to - from) / points / MINUTE) * MINUTE);
  if (slotMs > HOUR) slotMs = Math.ceil(slotMs / HOUR) * HOUR;
  const last = Math.floor((to - 1) / slotMs);
  const first = Math.max(Math.floor(from / slotMs), last - points + 1);
  return { start: first * slotMs, slotMs, count: last - first + 1 };
}

/**
 * What the traffic read takes of each bucket's payload (SQL over `payload`): jsonb_to_record
 * detoasts the payload once, where four `payload->…` would decompress it four times.
 */
export const TRAFFIC_FIELDS = `(SELECT jsonb_build_array(x.rows, x.latency, x.prediction->'classes', x.prediction->'values')
  FROM jsonb_to_record(payload) AS x(rows int, latency jsonb, prediction jsonb))`;

/** A row's traffic fields, as TRAFFIC_FIELDS selects them. */
export type TrafficFields = [number, number[] | null, number[] | null, NumericAggregate | null];

interface Tally {
  requests: number;
  latency?: number[];
  byVersion: Map<string, VersionTrafficDto>;
  classes: Map<string, number>;
  valueSum: number;
  valueCount: number;
}

/** Σ and count of the predicted values (regression): in the bins and below/above them. */
function addValues(t: Tally, v: NumericAggregate): void {
  for (let i = 0; i < v.counts.length; i++) {
    t.valueCount += v.counts[i];
    t.valueSum += v.sums[i];
  }
  t.valueCount += v.below + v.above;
  t.valueSum += v.belowSum + v.aboveSum;
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/**
 * The points of every slot: `rows` (minute buckets and whole-hour roll-ups, each in one slot),
 * `errors` per slot index, and each version's class names (classification).
 */
export function trafficPoints(
  slots: Slots,
  to: number,
  rows: ReadonlyArray<BucketRow<TrafficFields>>,
  errors: ReadonlyMap<number, number>,
  classNames: ReadonlyMap<number, string[]>,
): TrafficPointDto[] {
  const tallies: Tally[] = Array.from({ length: slots.count }, () => ({
    requests: 0,
    byVersion: new Map(),
    classes: new Map(),
    valueSum: 0,
    valueCount: 0,
  }));
  let regression = false;
  for (const { version, alias, at, payload } of rows) {
    const t = tallies[Math.floor((new Date(at).getTime() - slots.start) / slots.slotMs)];
    if (!t) continue;
    const [count, latency, classes, values] = payload;
    const key = `${version}\u0000${alias ?? ''}`;
    const entry = t.byVersion.get(key);
    if (entry) entry.requests += count;
    else t.byVersion.set(key, { version, alias, requests: count });
    if (values) regression = true;
    if (alias === SHADOW_ALIAS) continue; // scored for monitoring, answered to no caller
    t.requests += count;
    addLatency(t, latency ?? undefined);
    if (values) addValues(t, values);
    const names = classNames.get(version);
    classes?.forEach((n, i) => {
      const name = names?.[i] ?? String(i);
      if (n) t.classes.set(name, (t.classes.get(name) ?? 0) + n);
    });
  }
  const classification = rows.length > 0 && !regression;
  return tallies.map((t, i) => {
    const start = slots.start + i * slots.slotMs;
    const seconds = (Math.min(start + slots.slotMs, Math.max(to, start + MINUTE)) - start) / 1000;
    const e = errors.get(i) ?? 0;
    const q = (p: number) => round(latencyQuantile(t.latency ?? [], p) ?? 0, 3);
    const hasLatency = t.latency?.some((c) => c > 0) ?? false;
    return {
      t: new Date(start).toISOString(),
      requests: t.requests,
      errors: e,
      errorRate: t.requests + e > 0 ? round(e / (t.requests + e)) : null,
      rps: round(t.requests / seconds),
      latencyMs: hasLatency ? { p50: q(0.5), p95: q(0.95), p99: q(0.99) } : null,
      byVersion: [...t.byVersion.values()].sort(
        (a, b) => a.version - b.version || (a.alias ?? '').localeCompare(b.alias ?? ''),
      ),
      classes: classification ? Object.fromEntries([...t.classes].sort(([a], [b]) => a.localeCompare(b))) : null,
      value: t.valueCount > 0 ? { mean: t.valueSum / t.valueCount } : null,
    };
  });
}
