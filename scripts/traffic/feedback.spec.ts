import { FEEDBACK_BATCH_MAX, FeedbackQueue, type FeedbackItem } from './feedback';

const item = (n: number): FeedbackItem => ({ predictionId: `p${n}`, label: n % 2 ? 'good' : 'bad' });

describe('FeedbackQueue (fake clock)', () => {
  let batches: { at: number; items: FeedbackItem[] }[];
  let accept: boolean;
  const queue = (delayMs = 30_000, everyMs = 1000) =>
    new FeedbackQueue({
      delayMs,
      everyMs,
      send: async (items) => {
        batches.push({ at: Date.now(), items });
        return accept;
      },
    });

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    batches = [];
    accept = true;
  });
  afterEach(() => jest.useRealTimers());

  it('sends each label at least the delay after its answer, at most one batch period later, in batches', async () => {
    const q = queue();
    q.begin();
    q.add(item(1));
    await jest.advanceTimersByTimeAsync(400);
    q.add(item(2));
    q.add(item(3));
    await jest.advanceTimersByTimeAsync(29_500); // t = 29.9 s: none due yet
    expect(batches).toEqual([]);
    expect(q.pending).toBe(3);
    await jest.advanceTimersByTimeAsync(100); // t = 30 s: the first is due
    expect(batches).toEqual([{ at: 30_000, items: [item(1)] }]);
    await jest.advanceTimersByTimeAsync(1000); // t = 31 s: the two given at 0.4 s, together
    expect(batches[1]).toEqual({ at: 31_000, items: [item(2), item(3)] });
    expect([q.sent, q.failed, q.pending]).toEqual([3, 0, 0]);
    await q.stop(false);
  });

  it('splits what is due into batches the API takes, and counts a refused batch', async () => {
    const q = queue(1000);
    q.begin();
    for (let i = 0; i < FEEDBACK_BATCH_MAX + 5; i++) q.add(item(i));
    accept = false;
    await jest.advanceTimersByTimeAsync(1000);
    expect(batches.map((b) => b.items.length)).toEqual([FEEDBACK_BATCH_MAX, 5]);
    expect(batches[1].items[0]).toEqual(item(FEEDBACK_BATCH_MAX));
    expect([q.sent, q.failed]).toEqual([0, FEEDBACK_BATCH_MAX + 5]);
    await q.stop(false);
  });

  it('stop(false) sends what is due and drops the rest', async () => {
    const q = queue(10_000);
    q.begin();
    await jest.advanceTimersByTimeAsync(500);
    q.add(item(1)); // due at 10.5 s
    await jest.advanceTimersByTimeAsync(5000);
    q.add(item(2)); // due at 15.5 s
    await jest.advanceTimersByTimeAsync(5100); // t = 10.6 s: item 1 due, the next wake is at 11 s
    expect(batches).toEqual([]);
    expect(await q.stop(false)).toBe(1);
    expect(batches).toEqual([{ at: 10_600, items: [item(1)] }]);
    expect([q.sent, q.dropped, q.pending]).toEqual([1, 1, 0]);
  });

  it('stop(true) waits for the last label and sends everything; stop(false) meanwhile cuts the wait short', async () => {
    const q = queue(10_000);
    q.begin();
    q.add(item(1));
    const drained = q.stop(true);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await drained).toBe(0);
    expect(batches).toEqual([{ at: 10_000, items: [item(1)] }]);

    const r = queue(10_000);
    r.begin();
    r.add(item(2));
    const draining = r.stop(true);
    await jest.advanceTimersByTimeAsync(2000);
    expect(await r.stop(false)).toBe(1);
    expect(await draining).toBe(1);
    expect(batches).toHaveLength(1);
    expect(r.dropped).toBe(1);
  });

  it('stop(true) sends the last label even when its timer fires before the clock reaches its due time', async () => {
    const q = queue(10_000);
    q.begin();
    q.add(item(1)); // due at 10 s
    const drained = q.stop(true);
    jest.setSystemTime(-1); // the wall clock a millisecond behind the timers'
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await drained).toBe(0);
    expect([q.sent, q.dropped]).toEqual([1, 0]);
  });
});
