import { emptyLatency, latencyBin } from '../buckets/latency-histogram';
import { trafficPoints, trafficSlots, type TrafficFields } from './traffic-points';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const T = Date.UTC(2026, 5, 1, 10, 0, 0);

describe('trafficSlots', () => {
  it('cuts a range in whole-minute slots aligned to multiples of the slot, at most `points`', () => {
    expect(trafficSlots(T - HOUR, T, 60)).toEqual({ start: T - HOUR, slotMs: MINUTE, count: 60 });
    // Not on a minute (the last hour, now): the 60 minutes up to the one holding `to`.
    expect(trafficSlots(T - HOUR + 30_000, T + 30_000, 60)).toEqual({
      start: T - 59 * MINUTE,
      slotMs: MINUTE,
      count: 60,
    });
    expect(trafficSlots(T - HOUR + 30_000, T + 30_000, 61)).toEqual({ start: T - HOUR, slotMs: MINUTE, count: 61 });
    expect(trafficSlots(T - 24 * HOUR, T, 60)).toEqual({ start: T - 24 * HOUR, slotMs: 24 * MINUTE, count: 60 });
    expect(trafficSlots(T - 15 * MINUTE, T, 60)).toEqual({ start: T - 15 * MINUTE, slotMs: MINUTE, count: 15 });
  });

  it('uses whole hours from one hour up, so an hour roll-up falls in one slot', () => {
    const week = trafficSlots(T - 7 * 24 * HOUR, T, 60);
    expect(week.slotMs).toBe(3 * HOUR);
    expect(week.start % HOUR).toBe(0);
    expect(week.count).toBeLessThanOrEqual(60);
    const day = Date.UTC(2026, 5, 1);
    expect(trafficSlots(day, day + 24 * HOUR, 1)).toEqual({ start: day, slotMs: 24 * HOUR, count: 1 });
    // A day not on a multiple of the slot since the epoch: a wider slot, still one.
    // A day not on the slot's multiples: the slot holding its end.
    expect(trafficSlots(T - 24 * HOUR, T, 1)).toEqual({ start: day, slotMs: 24 * HOUR, count: 1 });
  });
});

describe('trafficPoints', () => {
  const latency = (...ms: number[]) => {
    const h = emptyLatency();
    for (const x of ms) h[latencyBin(x)]++;
    return h;
  };
  const row = (at: number, version: number, alias: string | null, payload: TrafficFields) => ({
    version,
    alias,
    at: new Date(at),
    buckets: 1,
    payload,
  });

  it('counts callers requests, shadow only by version, errors per slot and latency quantiles', () => {
    const slots = { start: T, slotMs: 2 * MINUTE, count: 3 };
    const rows = [
      row(T, 1, 'production', [8, latency(2, 3), [6, 2], null]),
      row(T + MINUTE, 1, 'production', [2, latency(4), [1, 1], null]),
      row(T + MINUTE, 2, 'canary', [3, latency(5), [0, 3], null]),
      row(T + MINUTE, 2, 'shadow', [10, latency(500), [5, 5], null]),
      row(T + 2 * MINUTE, 1, null, [1, null, [1, 0], null]),
    ];
    const points = trafficPoints(
      slots,
      T + 6 * MINUTE,
      rows,
      new Map([
        [0, 13],
        [2, 1],
      ]),
      new Map([[1, ['bad', 'good']]]),
    );
    expect(points.map((p) => p.t)).toEqual([0, 2, 4].map((m) => new Date(T + m * MINUTE).toISOString()));
    const [a, b, c] = points;
    expect(a).toMatchObject({ requests: 13, errors: 13, errorRate: 0.5, rps: 0.1083 });
    expect(a.byVersion).toEqual([
      { version: 1, alias: 'production', requests: 10 },
      { version: 2, alias: 'canary', requests: 3 },
      { version: 2, alias: 'shadow', requests: 10 },
    ]);
    // Version 2's class names are unknown here: numbered.
    expect(a.classes).toEqual({ '1': 3, bad: 7, good: 3 });
    // The shadow's 500 ms is no caller's latency.
    expect(a.latencyMs!.p99).toBeLessThan(8);
    expect(a.latencyMs!.p50).toBeGreaterThan(2);
    expect(b).toMatchObject({ requests: 1, errors: 0, errorRate: 0, latencyMs: null, classes: { bad: 1 } });
    expect(c).toMatchObject({
      requests: 0,
      errors: 1,
      errorRate: 1,
      rps: 0,
      latencyMs: null,
      byVersion: [],
      classes: {},
    });
    expect(points.every((p) => p.value === null)).toBe(true);
  });

  it('a regression model answers the mean value and no classes; an empty range neither', () => {
    const values = {
      name: 'prediction',
      counts: [2, 1],
      sums: [3, 4],
      below: 1,
      above: 0,
      belowSum: -1,
      aboveSum: 0,
      missing: 0,
      squares: 0,
    };
    const slots = { start: T, slotMs: MINUTE, count: 1 };
    const [p] = trafficPoints(
      slots,
      T + MINUTE,
      [row(T, 1, 'production', [4, latency(1), [], values])],
      new Map(),
      new Map(),
    );
    expect(p).toMatchObject({ requests: 4, classes: null, value: { mean: 1.5 } });
    const [empty] = trafficPoints(slots, T + MINUTE, [], new Map(), new Map());
    expect(empty).toMatchObject({ requests: 0, errorRate: null, classes: null, value: null, latencyMs: null });
  });
});
