import { Logger } from '@nestjs/common';
import { z } from 'zod';
import { EventBus, EventsMissed } from './event-bus';
import { defineEvent } from './event-channel';
import type { EventTransport } from './event-transport';

/**
 * An in-memory stand-in for Redis pub/sub: every message goes to every listening bus, the sender
 * included, a turn of the event loop later (as over a network).
 */
class FakeTransport implements EventTransport {
  readonly sent: { channel: string; message: string }[] = [];
  private readonly listeners: ((channel: string, message: string) => void)[] = [];
  down = false;

  async publish(channel: string, message: string): Promise<void> {
    if (this.down) throw new Error('transport down');
    this.sent.push({ channel, message });
    setImmediate(() => this.listeners.forEach((l) => l(channel, message)));
  }

  async subscribeAll(listener: (channel: string, message: string) => void): Promise<void> {
    this.listeners.push(listener);
  }

  private readonly resubscribed: (() => void)[] = [];

  onResubscribed(listener: () => void): void {
    this.resubscribed.push(listener);
  }

  /** The subscription came back after an outage. */
  reconnect(): void {
    this.resubscribed.forEach((l) => l());
  }

  /** A message as another process (or another release) might send it. */
  inject(channel: string, message: string): void {
    this.listeners.forEach((l) => l(channel, message));
  }
}

const Moved = defineEvent('test.moved', {
  scope: 'cluster',
  schema: z.object({ model: z.string(), version: z.number().int() }),
});
const Local = defineEvent('test.local', { scope: 'process', schema: z.object({ n: z.number() }) });

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function startBus(transport: FakeTransport): Promise<EventBus> {
  const bus = new EventBus(transport);
  await bus.onModuleInit();
  return bus;
}

describe('EventBus', () => {
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('delivers a process event to this bus only, at once, without the transport', async () => {
    const transport = new FakeTransport();
    const [bus, other] = [await startBus(transport), await startBus(transport)];
    const here: number[] = [];
    const there: number[] = [];
    bus.subscribe(Local, (e) => void here.push(e.n));
    other.subscribe(Local, (e) => void there.push(e.n));
    const published = bus.publish(Local, { n: 1 });
    expect(here).toEqual([1]); // a synchronous handler has run before the publisher awaits
    await published;
    await settle();
    expect(here).toEqual([1]);
    expect(there).toEqual([]);
    expect(transport.sent).toEqual([]);
  });

  it('delivers a cluster event once here (its own echo skipped) and once on every other bus', async () => {
    const transport = new FakeTransport();
    const [bus, other, third] = [await startBus(transport), await startBus(transport), await startBus(transport)];
    const seen: string[] = [];
    bus.subscribe(Moved, (e) => void seen.push(`here v${e.version}`));
    other.subscribe(Moved, (e) => void seen.push(`other v${e.version}`));
    third.subscribe(Moved, (e) => void seen.push(`third ${e.model}`));
    await bus.publish(Moved, { model: 'credit', version: 2 });
    expect(seen).toEqual(['here v2']);
    await settle();
    expect(seen).toEqual(['here v2', 'other v2', 'third credit']);
    expect(transport.sent.map((m) => m.channel)).toEqual(['test.moved']);
  });

  it('still runs local handlers when the transport fails, and rejects', async () => {
    const transport = new FakeTransport();
    const bus = await startBus(transport);
    const seen: number[] = [];
    bus.subscribe(Moved, (e) => void seen.push(e.version));
    transport.down = true;
    await expect(bus.publish(Moved, { model: 'credit', version: 3 })).rejects.toThrow('transport down');
    expect(seen).toEqual([3]);
  });

  it('drops an invalid or malformed payload from the transport with a warning naming the channel', async () => {
    const transport = new FakeTransport();
    const bus = await startBus(transport);
    const seen: unknown[] = [];
    bus.subscribe(Moved, (e) => void seen.push(e));
    transport.inject(
      'test.moved',
      JSON.stringify({ origin: 'elsewhere', payload: { model: 'credit', version: 'two' } }),
    );
    transport.inject('test.moved', '{not json');
    transport.inject('test.moved', JSON.stringify({ model: 'credit', version: 2 })); // no envelope
    await settle();
    expect(seen).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(3);
    for (const [fields] of warn.mock.calls) expect(fields).toMatchObject({ channel: 'test.moved' });
    transport.inject(
      'test.moved',
      JSON.stringify({ origin: 'elsewhere', payload: { model: 'credit', version: 2, extra: true } }),
    );
    await settle();
    expect(seen).toEqual([{ model: 'credit', version: 2 }]);
  });

  it('ignores transport messages on a process channel', async () => {
    const transport = new FakeTransport();
    const bus = await startBus(transport);
    const seen: unknown[] = [];
    bus.subscribe(Local, (e) => void seen.push(e));
    transport.inject('test.local', JSON.stringify({ origin: 'elsewhere', payload: { n: 1 } }));
    await settle();
    expect(seen).toEqual([]);
  });

  it('isolates a handler that throws or rejects: it is logged and the others still run', async () => {
    const transport = new FakeTransport();
    const [bus, other] = [await startBus(transport), await startBus(transport)];
    const seen: string[] = [];
    for (const b of [bus, other]) {
      b.subscribe(Moved, () => {
        throw new Error('sync failure');
      });
      b.subscribe(Moved, async () => {
        await settle();
        throw new Error('async failure');
      });
      b.subscribe(Moved, (e) => void seen.push(`${b === bus ? 'here' : 'other'} v${e.version}`));
    }
    await expect(bus.publish(Moved, { model: 'credit', version: 4 })).resolves.toBeUndefined();
    await settle();
    await settle();
    expect(seen).toEqual(['here v4', 'other v4']);
    expect(error).toHaveBeenCalledTimes(4);
    for (const [fields] of error.mock.calls)
      expect(fields).toMatchObject({ channel: 'test.moved', err: expect.any(Error) });
  });

  it('waits for async local handlers before publish resolves', async () => {
    const bus = await startBus(new FakeTransport());
    let done = false;
    bus.subscribe(Local, async () => {
      await settle();
      done = true;
    });
    await bus.publish(Local, { n: 1 });
    expect(done).toBe(true);
  });

  it('stops calling a handler once unsubscribed, and only that one', async () => {
    const transport = new FakeTransport();
    const [bus, other] = [await startBus(transport), await startBus(transport)];
    const seen: string[] = [];
    const record = (who: string) => (e: { version: number }) => void seen.push(`${who} v${e.version}`);
    const stopHere = bus.subscribe(Moved, record('here'));
    bus.subscribe(Moved, record('here too'));
    const stopOther = other.subscribe(Moved, record('other'));
    await bus.publish(Moved, { model: 'm', version: 1 });
    await settle();
    stopHere();
    stopOther();
    await bus.publish(Moved, { model: 'm', version: 2 });
    await settle();
    expect(seen).toEqual(['here v1', 'here too v1', 'other v1', 'here too v2']);
  });

  it('counts the same function subscribed twice as two subscriptions', async () => {
    const bus = await startBus(new FakeTransport());
    const seen: number[] = [];
    const handler = (e: { n: number }) => void seen.push(e.n);
    const first = bus.subscribe(Local, handler);
    bus.subscribe(Local, handler);
    first();
    await bus.publish(Local, { n: 7 });
    expect(seen).toEqual([7]);
  });

  it('refuses two different events under one name', async () => {
    const bus = await startBus(new FakeTransport());
    bus.subscribe(Moved, () => undefined);
    const twin = defineEvent('test.moved', { scope: 'process', schema: z.object({}) });
    expect(() => bus.subscribe(twin, () => undefined)).toThrow(/two events are named test.moved/);
  });

  it('tells this process, once a lost subscription is back, that cluster events were missed', async () => {
    const transport = new FakeTransport();
    const bus = await startBus(transport);
    const heard: unknown[] = [];
    bus.subscribe(EventsMissed, (e) => void heard.push(e));
    transport.reconnect();
    await settle();
    expect(heard).toEqual([{}]);
    expect(transport.sent).toEqual([]); // a process event: not sent to the other replicas
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/events sent while it was down are missed/));
  });
});

describe('defineEvent', () => {
  it('refuses a name Redis would read as a pattern', () => {
    expect(() => defineEvent('alerts.*', { scope: 'cluster', schema: z.object({}) })).toThrow(/event name/);
    expect(defineEvent('monitoring.alert-raised', { scope: 'cluster', schema: z.object({}) }).name).toBe(
      'monitoring.alert-raised',
    );
  });
});
