import { InferenceErrorCode } from '../inference.errors';
import {
  BUCKET_MS,
  MAX_BUCKETS,
  MAX_WINDOW_MS,
  bucketStarts,
  checkBuckets,
  checkPage,
  checkWindow,
} from './log-window';

const T = Date.UTC(2026, 0, 10, 12, 30); // 12:30 UTC
const window = (from: number, to: number) => ({ model: 'credit', from: new Date(from), to: new Date(to) });
const fieldsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    expect(err).toMatchObject({ code: InferenceErrorCode.INVALID_LOG_READ, message: 'Invalid prediction log read' });
    return (err as { details: { field: string }[] }).details.map((d) => d.field);
  }
  throw new Error('not refused');
};

describe('log windows', () => {
  it('gives every bucket overlapping the window, aligned to UTC, the partial ones included', () => {
    const hour = BUCKET_MS.hour;
    expect(bucketStarts(T, T + hour, hour)).toEqual([T - hour / 2, T + hour / 2]);
    expect(bucketStarts(T - hour / 2, T + hour / 2, hour)).toEqual([T - hour / 2]);
    expect(bucketStarts(T, T + 1, BUCKET_MS.day).map((t) => new Date(t).toISOString())).toEqual([
      '2026-01-10T00:00:00.000Z',
    ]);
  });

  it('takes up to MAX_BUCKETS buckets and refuses one more', () => {
    const minute = BUCKET_MS.minute;
    const from = Math.floor(T / minute) * minute;
    expect(checkBuckets(window(from, from + MAX_BUCKETS * minute), 'minute')).toBe(minute);
    expect(fieldsOf(() => checkBuckets(window(from, from + MAX_BUCKETS * minute + 1), 'minute'))).toEqual(['bucket']);
  });

  it('takes a window up to MAX_WINDOW_MS long, and names every bad field at once', () => {
    expect(() => checkWindow(window(T, T + MAX_WINDOW_MS))).not.toThrow();
    expect(fieldsOf(() => checkWindow(window(T, T + MAX_WINDOW_MS + 1)))).toEqual(['to']);
    expect(
      fieldsOf(() =>
        checkPage({ model: '', version: -1, from: new Date(T), to: new Date(T) }, { limit: 0, after: 'x' }),
      ),
    ).toEqual(['model', 'version', 'to', 'limit', 'after']);
  });

  it('reads the cursor a page gave back', () => {
    const id = '01a23af3-2ff2-73d9-94dd-f33c2fb15552';
    expect(checkPage(window(T, T + 1), { after: `1768048200000123_${id}` })).toEqual({
      limit: 1000,
      after: { micros: '1768048200000123', id },
    });
    expect(checkPage(window(T, T + 1), {})).toEqual({ limit: 1000, after: null });
  });
});
