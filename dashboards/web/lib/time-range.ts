/**
 * The ranges a person picks (issue #21): the last 15 minutes, hour, day or week. Their points are
 * slots the server pre-aggregates: one-minute slots up to an hour (the minute buckets), whole hours
 * beyond (the hourly roll-ups; 96 points of 15 minutes over a day read 1,440 minute buckets instead
 * of 24 roll-ups, docs/benchmarks.md "Dashboard endpoints").
 */
export const RANGES = {
  '15m': { label: 'last 15 min', ms: 15 * 60_000, points: 15 },
  '1h': { label: 'last 1 h', ms: 3_600_000, points: 60 },
  '24h': { label: 'last 24 h', ms: 24 * 3_600_000, points: 24 },
  '7d': { label: 'last 7 d', ms: 7 * 24 * 3_600_000, points: 168 },
} as const;

export type RangeKey = keyof typeof RANGES;

export function isRangeKey(value: string): value is RangeKey {
  return Object.prototype.hasOwnProperty.call(RANGES, value);
}

export interface Span {
  from: Date;
  to: Date;
  points: number;
}

/** The span ending now; `points` is at most one a minute (the buckets' resolution). */
export function spanOf(key: RangeKey, now: number): Span {
  const { ms, points } = RANGES[key];
  return { from: new Date(now - ms), to: new Date(now), points };
}

/** A span as the monitoring endpoints' query string (`from`, `to`, `points`). */
export function spanQuery(span: Span, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    from: span.from.toISOString(),
    to: span.to.toISOString(),
    points: String(span.points),
    ...extra,
  });
  return params.toString();
}
