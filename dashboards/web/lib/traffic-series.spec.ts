import { appendTick, columnsOf, totalRequests, trimBefore, type TrafficPage, type TrafficTick } from './traffic-series';

const page: TrafficPage = {
  model: 'credit',
  from: '2026-01-01T10:00:00.000Z',
  to: '2026-01-01T10:03:00.000Z',
  slotSeconds: 60,
  points: [
    {
      t: '2026-01-01T10:00:00.000Z',
      requests: 120,
      errors: 2,
      errorRate: 0.0164,
      rps: 2,
      latencyMs: { p50: 3, p95: 8, p99: 12 },
      byVersion: [
        { version: 3, alias: 'production', requests: 100 },
        { version: 4, alias: 'canary', requests: 20 },
      ],
      classes: { good: 80, bad: 40 },
      value: null,
    },
    {
      t: '2026-01-01T10:01:00.000Z',
      requests: 0,
      errors: 0,
      errorRate: 0,
      rps: 0,
      latencyMs: null,
      byVersion: [],
      classes: {},
      value: null,
    },
  ],
};

const tick = (at: string, requests: number, p50 = 4, model = 'credit'): TrafficTick => ({
  replica: 'r1',
  at,
  intervalMs: 2000,
  models: [
    { model, version: 3, alias: 'production', requests, errors: 1, latencyMs: { p50, p95: p50 * 2, p99: p50 * 3 } },
  ],
});

describe('traffic columns', () => {
  it('turns a page into aligned columns, keyed series filled with zeros', () => {
    const c = columnsOf(page);
    expect(c.x).toEqual([Date.parse(page.points[0].t) / 1000, Date.parse(page.points[1].t) / 1000]);
    expect(c.rps).toEqual([2, 0]);
    expect(c.p95).toEqual([8, null]);
    expect(c.byVersion.get('v3 (production)')).toEqual([100, 0]);
    expect(c.byVersion.get('v4 (canary)')).toEqual([20, 0]);
    expect(c.classes.get('bad')).toEqual([40, 0]);
  });

  it('adds a tick into the slot it falls in, weighting the latency by requests', () => {
    const c = columnsOf(page);
    expect(appendTick(c, tick('2026-01-01T10:01:30.000Z', 30, 6), 'credit', 0)).toBe(true);
    expect(c.x).toHaveLength(2);
    // A tick's requests include its error (§3); the columns count the answered ones, as the points do (§4).
    expect(c.requests[1]).toBe(29);
    expect(c.errors[1]).toBe(1);
    expect(c.rps[1]).toBeCloseTo(29 / 60);
    expect(c.errorRate[1]).toBeCloseTo(1 / 30);
    expect(c.p50[1]).toBe(6);
    appendTick(c, tick('2026-01-01T10:01:40.000Z', 11, 2), 'credit', 0);
    expect(c.requests[1]).toBe(39);
    expect(c.p50[1]).toBeCloseTo((6 * 29 + 2 * 10) / 39);
    expect(c.byVersion.get('v3 (production)')).toEqual([100, 39]);
    expect(totalRequests(c)).toBe(120 + 39);
  });

  it('appends a slot for a tick past the last one, and keeps every series as long as x', () => {
    const c = columnsOf(page);
    appendTick(c, tick('2026-01-01T10:02:05.000Z', 12), 'credit', 0);
    expect(c.x).toHaveLength(3);
    for (const column of [c.rps, c.errorRate, c.p50, c.p95, c.p99, ...c.byVersion.values(), ...c.classes.values()])
      expect(column).toHaveLength(3);
    expect(c.byVersion.get('v4 (canary)')).toEqual([20, 0, 0]);
  });

  it('files a version served by number (alias `none` in the ticks) under the label the points give it', () => {
    const c = columnsOf(page);
    const byNumber = tick('2026-01-01T10:01:30.000Z', 4);
    byNumber.models[0] = { ...byNumber.models[0], alias: 'none', errors: 0 };
    appendTick(c, byNumber, 'credit', 0);
    expect(c.byVersion.get('v3')).toEqual([0, 4]);
    expect(c.byVersion.has('v3 (none)')).toBe(false);
  });

  it('ignores ticks of other models, empty ticks and ticks older than the last slot', () => {
    const c = columnsOf(page);
    expect(appendTick(c, tick('2026-01-01T10:02:05.000Z', 5, 4, 'other'), 'credit', 0)).toBe(false);
    expect(appendTick(c, { ...tick('2026-01-01T10:02:05.000Z', 0), models: [] }, 'credit', 0)).toBe(false);
    expect(appendTick(c, tick('2026-01-01T09:59:00.000Z', 5), 'credit', 0)).toBe(false);
    expect(c.x).toHaveLength(2);
  });

  it('drops slots that slid out of the range', () => {
    const c = columnsOf(page);
    trimBefore(c, Date.parse('2026-01-01T10:01:00.000Z') / 1000);
    expect(c.x).toEqual([Date.parse('2026-01-01T10:01:00.000Z') / 1000]);
    expect(c.byVersion.get('v3 (production)')).toEqual([0]);
  });
});
