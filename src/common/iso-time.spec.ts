import { isoTime } from './iso-time';

describe('isoTime', () => {
  it('formats like Date#toISOString, in order and out of order, across seconds, days and years', () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    const times = [
      ...Array.from({ length: 3000 }, (_, i) => start + i), // in order, through a year boundary
      ...Array.from({ length: 3000 }, (_, i) => ((i * 1_333_333_331) % 4e12) - 1e12), // scattered, before and after 1970
      0,
      -1,
      Date.UTC(10000, 0, 1, 0, 0, 0, 7), // six-digit year
    ];
    for (const ms of times) expect([ms, isoTime(ms)]).toEqual([ms, new Date(ms).toISOString()]);
  });

  it('pads the milliseconds', () => {
    expect(isoTime(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02T03:04:05.006Z');
    expect(isoTime(Date.UTC(2026, 0, 2, 3, 4, 5, 60))).toBe('2026-01-02T03:04:05.060Z');
    expect(isoTime(Date.UTC(2026, 0, 2, 3, 4, 5, 600))).toBe('2026-01-02T03:04:05.600Z');
  });
});
