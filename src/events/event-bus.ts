import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { defineEvent, type EventChannel } from './event-channel';
import { EventTransport } from './event-transport';

export type EventHandler<T> = (payload: T) => void | Promise<void>;

/** One subscription (an object, so the same function subscribed twice is two subscriptions). */
interface Subscription {
  handler: EventHandler<unknown>;
}

interface Subscribers {
  channel: EventChannel<unknown>;
  subscriptions: Set<Subscription>;
}

/**
 * Heard in this process when the transport got its subscription back after losing it (Redis was
 * down): cluster events of the meantime are lost, so what they would have invalidated (aliases,
 * tokens, revocations) is checked again against PostgreSQL.
 */
export const EventsMissed = defineEvent<Record<string, never>>('events.missed', {
  scope: 'process',
  schema: z.object({}).strict() as z.ZodType<Record<string, never>>,
});

/** What a cluster event looks like on the transport: who sent it, and the payload. */
const envelope = z.object({ origin: z.string(), payload: z.unknown() });

/**
 * The app's one event channel, the same API in-process and across replicas. A cluster event is
 * handled here at once (so the replica that acted applies it even when Redis is down) and on
 * every other replica through the transport; each bus skips its own echo, so a handler runs once
 * per event. Handlers are isolated: one that throws or rejects is logged, the others still run.
 */
@Injectable()
export class EventBus implements OnModuleInit {
  private readonly logger = new Logger(EventBus.name);
  /** Tags this bus's messages on the transport. */
  private readonly origin = randomUUID();
  private readonly channels = new Map<string, Subscribers>();

  constructor(private readonly transport: EventTransport) {}

  /**
   * One transport subscription for every channel, in place before the app's modules subscribe
   * (global modules initialise first), so `subscribe` can stay synchronous and miss nothing.
   */
  async onModuleInit(): Promise<void> {
    await this.transport.subscribeAll((name, message) => this.receive(name, message));
    this.transport.onResubscribed(() => {
      this.logger.warn('the event transport is back: events sent while it was down are missed; caches check again');
      void this.publish(EventsMissed, {});
    });
  }

  /**
   * Runs this process's handlers (synchronous ones before this returns its promise) and, for a
   * cluster event, sends it to the other replicas. Rejects only when the transport fails, after
   * the local handlers have run; a failing handler is logged, not thrown.
   */
  async publish<T>(channel: EventChannel<T>, payload: T): Promise<void> {
    const delivered = this.deliver(this.subscribersOf(channel), payload);
    if (channel.scope === 'cluster')
      await this.transport.publish(channel.name, JSON.stringify({ origin: this.origin, payload }));
    await delivered;
  }

  /** Calls `handler` with every event of `channel` until the returned function is called. */
  subscribe<T>(channel: EventChannel<T>, handler: EventHandler<T>): () => void {
    const subscribers = this.subscribersOf(channel);
    const subscription: Subscription = { handler: handler as EventHandler<unknown> };
    subscribers.subscriptions.add(subscription);
    return () => void subscribers.subscriptions.delete(subscription);
  }

  private subscribersOf(channel: EventChannel<unknown>): Subscribers {
    const known = this.channels.get(channel.name);
    if (known && known.channel !== channel) throw new Error(`two events are named ${channel.name}`);
    if (known) return known;
    const created = { channel, subscriptions: new Set<Subscription>() };
    this.channels.set(channel.name, created);
    return created;
  }

  /** A message from the transport: another replica's cluster event, or this bus's own echo. */
  private receive(name: string, message: string): void {
    const subscribers = this.channels.get(name);
    if (!subscribers || subscribers.channel.scope !== 'cluster') return;
    let sent: z.infer<typeof envelope>;
    try {
      sent = envelope.parse(JSON.parse(message));
    } catch {
      this.logger.warn({ channel: name }, 'dropped a malformed event');
      return;
    }
    if (sent.origin === this.origin) return;
    const payload = subscribers.channel.schema.safeParse(sent.payload);
    if (!payload.success) {
      this.logger.warn({ channel: name, issues: payload.error.issues.slice(0, 5) }, 'dropped an invalid event');
      return;
    }
    void this.deliver(subscribers, payload.data);
  }

  private async deliver({ channel, subscriptions }: Subscribers, payload: unknown): Promise<void> {
    await Promise.all([...subscriptions].map((s) => this.run(channel.name, s.handler, payload)));
  }

  private async run(name: string, handler: EventHandler<unknown>, payload: unknown): Promise<void> {
    try {
      await handler(payload);
    } catch (err) {
      this.logger.error({ err, channel: name }, 'an event handler failed');
    }
  }
}
