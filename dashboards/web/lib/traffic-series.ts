/** The traffic panel's data (contract §4 for the ranges, §3 for the live ticks), as uPlot columns. */

export interface LatencyMs {
  p50: number;
  p95: number;
  p99: number;
}

export interface TrafficPoint {
  t: string;
  requests: number;
  errors: number;
  errorRate: number;
  rps: number;
  latencyMs: LatencyMs | null;
  byVersion: { version: number; alias: string | null; requests: number }[];
  classes: Record<string, number> | null;
  value: { mean: number } | null;
}

export interface TrafficPage {
  model: string;
  from: string;
  to: string;
  slotSeconds: number;
  points: TrafficPoint[];
}

export interface TrafficTick {
  replica: string;
  at: string;
  intervalMs: number;
  models: {
    model: string;
    version: number;
    alias: string | null;
    requests: number;
    errors: number;
    latencyMs: LatencyMs | null;
  }[];
}

/** One column per chart line; `x` in seconds (uPlot's time axis). Null where a slot has no value. */
export interface TrafficColumns {
  slotSeconds: number;
  x: number[];
  rps: number[];
  errorRate: number[];
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
  /** Requests per slot and per `v<version> (<alias>)` label. */
  byVersion: Map<string, number[]>;
  /** Predicted classes per slot. */
  classes: Map<string, number[]>;
  /** Requests per slot (what the slot's latency figures are weighted by when ticks merge). */
  requests: number[];
  errors: number[];
}

export function versionLabel(version: number, alias: string | null): string {
  return alias ? `v${version} (${alias})` : `v${version}`;
}

export function emptyColumns(slotSeconds: number): TrafficColumns {
  return {
    slotSeconds,
    x: [],
    rps: [],
    errorRate: [],
    p50: [],
    p95: [],
    p99: [],
    byVersion: new Map(),
    classes: new Map(),
    requests: [],
    errors: [],
  };
}

/** A keyed series that gained a slot: every series keeps the length of `x`. */
function addTo(series: Map<string, number[]>, key: string, index: number, length: number, amount: number): void {
  let column = series.get(key);
  if (!column) series.set(key, (column = new Array<number>(length).fill(0)));
  column[index] += amount;
}

function pushSlot(c: TrafficColumns, x: number): number {
  c.x.push(x);
  for (const column of [c.rps, c.errorRate, c.requests, c.errors]) column.push(0);
  for (const column of [c.p50, c.p95, c.p99]) column.push(null);
  for (const column of [...c.byVersion.values(), ...c.classes.values()]) column.push(0);
  return c.x.length - 1;
}

export function columnsOf(page: TrafficPage): TrafficColumns {
  const c = emptyColumns(page.slotSeconds);
  for (const p of page.points) {
    const i = pushSlot(c, Math.floor(Date.parse(p.t) / 1000));
    c.requests[i] = p.requests;
    c.errors[i] = p.errors;
    c.rps[i] = p.rps;
    c.errorRate[i] = p.errorRate;
    c.p50[i] = p.latencyMs?.p50 ?? null;
    c.p95[i] = p.latencyMs?.p95 ?? null;
    c.p99[i] = p.latencyMs?.p99 ?? null;
    for (const v of p.byVersion) addTo(c.byVersion, versionLabel(v.version, v.alias), i, c.x.length, v.requests);
    for (const [name, n] of Object.entries(p.classes ?? {})) addTo(c.classes, name, i, c.x.length, n);
  }
  return c;
}

/** Request-weighted mean of two slots' percentiles: an estimate until the next refetch reads the buckets. */
function merged(old: number | null, oldWeight: number, added: number, addedWeight: number): number {
  if (old === null || oldWeight <= 0) return added;
  return (old * oldWeight + added * addedWeight) / (oldWeight + addedWeight);
}

/** The traffic event names a version served without an alias `none`; the buckets (and the range's points) null. */
const NO_ALIAS = 'none';

/**
 * Adds a live tick of one model to the columns, in place: into the slot it falls in, or a new slot
 * at the end (the chart then appends a point), dropping slots older than `fromSec`. Returns whether
 * anything changed. A tick older than the last slot is dropped: the next refetch has it. A tick's
 * `requests` include its `errors` (§3), where a point's `requests` are the answered ones (§4): the
 * columns keep the point's meaning, so a refetch draws the same figures.
 */
export function appendTick(c: TrafficColumns, tick: TrafficTick, model: string, fromSec: number): boolean {
  const rows = tick.models.filter((m) => m.model === model && m.requests > 0);
  if (rows.length === 0) return false;
  const at = Date.parse(tick.at) / 1000;
  const slot = Math.floor(at / c.slotSeconds) * c.slotSeconds;
  const last = c.x.length ? c.x[c.x.length - 1] : -Infinity;
  if (slot < last) return false;
  const i = slot === last ? c.x.length - 1 : pushSlot(c, slot);
  for (const row of rows) {
    const answered = Math.max(0, row.requests - row.errors);
    if (row.latencyMs && answered > 0) {
      c.p50[i] = merged(c.p50[i], c.requests[i], row.latencyMs.p50, answered);
      c.p95[i] = merged(c.p95[i], c.requests[i], row.latencyMs.p95, answered);
      c.p99[i] = merged(c.p99[i], c.requests[i], row.latencyMs.p99, answered);
    }
    c.requests[i] += answered;
    c.errors[i] += row.errors;
    const alias = row.alias === NO_ALIAS ? null : row.alias;
    if (answered > 0) addTo(c.byVersion, versionLabel(row.version, alias), i, c.x.length, answered);
  }
  // As the server counts the open slot: over the seconds gone by, at least a minute (its buckets' width).
  c.rps[i] = c.requests[i] / Math.min(c.slotSeconds, Math.max(at - slot, 60));
  const total = c.requests[i] + c.errors[i];
  c.errorRate[i] = total > 0 ? c.errors[i] / total : 0;
  trimBefore(c, fromSec);
  return true;
}

/** Every request the columns hold (answered ones: what the traffic panel reports as its total). */
export function totalRequests(c: TrafficColumns): number {
  return c.requests.reduce((n, r) => n + r, 0);
}

/** Drops the slots before `fromSec` (the range slides with time). */
export function trimBefore(c: TrafficColumns, fromSec: number): void {
  let n = 0;
  while (n < c.x.length && c.x[n] + c.slotSeconds <= fromSec) n++;
  if (n === 0) return;
  for (const column of [c.x, c.rps, c.errorRate, c.p50, c.p95, c.p99, c.requests, c.errors]) column.splice(0, n);
  for (const column of [...c.byVersion.values(), ...c.classes.values()]) column.splice(0, n);
}
