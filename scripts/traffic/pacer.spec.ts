import { dueBy, nextDueMs, Pacer } from './pacer';

describe('pacing maths', () => {
  it('one request at the start, then one every 1/rate s', () => {
    expect([0, 19, 20, 39, 40, 1000].map((ms) => dueBy(ms, 50))).toEqual([1, 1, 2, 2, 3, 51]);
    expect(dueBy(-1, 50)).toBe(0);
    expect([0, 1, 2, 50].map((n) => nextDueMs(n, 50))).toEqual([0, 20, 40, 1000]);
  });

  it('rates that do not divide a second: due times never drift from n/rate', () => {
    expect(nextDueMs(3, 3)).toBe(1000);
    expect(dueBy(999, 3)).toBe(3);
    expect(dueBy(1000, 3)).toBe(4);
    expect(dueBy(60_000, 0.5)).toBe(31);
  });
});

describe('Pacer (fake clock)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('sends at the rate whatever the answers take (open loop)', async () => {
    const answers: (() => void)[] = [];
    const pacer = new Pacer({ rate: 50, maxInFlight: 1000, send: () => new Promise<void>((r) => answers.push(r)) });
    pacer.begin();
    await jest.advanceTimersByTimeAsync(1000);
    // Nothing answered yet, and still 51 sent: the first at 0, then every 20 ms up to 1000 ms.
    expect([pacer.sent, pacer.inFlight, pacer.skipped]).toEqual([51, 51, 0]);
    answers.forEach((r) => r());
    await jest.advanceTimersByTimeAsync(1000);
    expect([pacer.sent, pacer.inFlight]).toEqual([101, 50]);
    const stopped = pacer.stop();
    answers.forEach((r) => r());
    await stopped;
    expect(pacer.inFlight).toBe(0);
  });

  it('skips and counts what is due while maxInFlight are unanswered, then catches up', async () => {
    const answers: (() => void)[] = [];
    const pacer = new Pacer({ rate: 100, maxInFlight: 5, send: () => new Promise<void>((r) => answers.push(r)) });
    pacer.begin();
    await jest.advanceTimersByTimeAsync(990);
    expect([pacer.issued, pacer.sent, pacer.skipped]).toEqual([100, 5, 95]);
    answers.splice(0).forEach((r) => r());
    await jest.advanceTimersByTimeAsync(100);
    // The server answered: the next 10 due go out (5 at once), none of the skipped ones again.
    expect([pacer.issued, pacer.sent, pacer.skipped]).toEqual([110, 10, 100]);
    const stopped = pacer.stop();
    answers.forEach((r) => r());
    await stopped;
  });

  it('sends nothing after stop', async () => {
    const pacer = new Pacer({ rate: 10, maxInFlight: 10, send: async () => undefined });
    pacer.begin();
    await jest.advanceTimersByTimeAsync(450);
    await pacer.stop();
    const sent = pacer.sent;
    await jest.advanceTimersByTimeAsync(5000);
    expect(sent).toBe(5);
    expect(pacer.sent).toBe(5);
  });
});
