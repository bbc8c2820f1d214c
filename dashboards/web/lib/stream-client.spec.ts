import { backoffDelay } from './backoff';
import { StreamClient, streamUrl, type EventSourceLike, type StreamStatus } from './stream-client';

class FakeSource implements EventSourceLike {
  readonly listeners = new Map<string, (e: { data?: string; lastEventId?: string }) => void>();
  onerror: ((e: never) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (e: { data?: string; lastEventId?: string }) => void): void {
    this.listeners.set(type, listener);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, data: unknown, id: string): void {
    this.listeners.get(type)!({ data: JSON.stringify(data), lastEventId: id });
  }
  fail(): void {
    this.onerror!(undefined as never);
  }
}

function harness(tickets: (string | null)[]) {
  const sources: FakeSource[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const messages: { event: string; id: string; data: unknown }[] = [];
  const statuses: StreamStatus[] = [];
  const client = new StreamClient(
    {
      ticket: () => Promise.resolve(tickets.shift() ?? null),
      open: (url) => {
        const s = new FakeSource(url);
        sources.push(s);
        return s;
      },
      setTimeout: (fn, ms) => timers.push({ fn, ms }),
      clearTimeout: () => undefined,
      random: () => 0.5,
    },
    { message: (m) => messages.push(m), status: (s) => statuses.push(s) },
    { baseMs: 100, maxMs: 1000 },
  );
  return { client, sources, timers, messages, statuses };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('StreamClient', () => {
  it('opens the stream with a ticket, goes live on hello, and passes events on with their ids', async () => {
    const h = harness(['t1']);
    h.client.start();
    await settle();
    expect(h.sources[0].url).toBe('/dashboard/stream?ticket=t1');
    h.sources[0].emit('hello', { serverTime: 'x', replica: 'a' }, 'b.1');
    h.sources[0].emit('traffic', { models: [] }, 'b.2');
    expect(h.statuses).toEqual(['connecting', 'live']);
    expect(h.messages.map((m) => [m.event, m.id])).toEqual([
      ['hello', 'b.1'],
      ['traffic', 'b.2'],
    ]);
    expect(h.client.lastEventId).toBe('b.2');
  });

  it('on an error closes the source, waits, asks a new ticket and resumes after the last id', async () => {
    const h = harness(['t1', 't2']);
    h.client.start();
    await settle();
    h.sources[0].emit('traffic', {}, 'b.7');
    h.sources[0].fail();
    expect(h.sources[0].closed).toBe(true);
    expect(h.statuses.at(-1)).toBe('waiting');
    expect(h.timers[0].ms).toBe(backoffDelay(0, 0.5, { baseMs: 100, maxMs: 1000 }));
    h.timers[0].fn();
    await settle();
    expect(h.sources[1].url).toBe(streamUrl('t2', 'b.7'));
    expect(h.sources[1].url).toBe('/dashboard/stream?ticket=t2&lastEventId=b.7');
    // Events of the closed source are not taken any more.
    h.sources[0].emit('alert', {}, 'old.1');
    expect(h.messages.map((m) => m.id)).toEqual(['b.7']);
  });

  it('backs off longer while no ticket can be had, and stops for good on stop()', async () => {
    const h = harness([null, null]);
    h.client.start();
    await settle();
    h.timers[0].fn();
    await settle();
    expect(h.timers[1].ms).toBeGreaterThan(h.timers[0].ms);
    expect(h.sources).toHaveLength(0);
    h.client.stop();
    h.timers[1].fn();
    await settle();
    expect(h.sources).toHaveLength(0);
    expect(h.statuses.at(-1)).toBe('stopped');
  });
});

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, with jitter in the upper half', () => {
    const o = { baseMs: 500, maxMs: 30_000 };
    expect([0, 1, 2].map((a) => backoffDelay(a, 1, o))).toEqual([500, 1000, 2000]);
    expect(backoffDelay(0, 0, o)).toBe(250);
    expect(backoffDelay(20, 1, o)).toBe(30_000);
  });
});
