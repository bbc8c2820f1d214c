import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { reconnectDelay } from './reconnect-delay';

type Listener = (channel: string, message: string) => void;

/**
 * The app's Redis connections: one for commands, one subscriber for events every replica must
 * see (alias moved, token revoked: docs/architecture.md), the EventBus's transport. Channel and key names
 * are prefixed with REDIS_PREFIX so deployments (and parallel test files) can share one Redis.
 *
 * The command connection serves requests (login throttle, events, heartbeats), so it fails fast:
 * no offline queue, a command while Redis is down rejects at once (the error filter answers 503
 * naming Redis) instead of waiting for reconnection attempts. The subscriber keeps its queue, so
 * its subscription waits for Redis at start and is made again after each reconnection.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis;
  private subscriber?: Redis;
  private readonly listeners = new Set<Listener>();
  private readonly resubscribed = new Set<() => void>();
  private subscribed?: Promise<unknown>;

  constructor(private readonly config: AppConfig) {
    this.client = this.connect('commands', { enableOfflineQueue: false });
  }

  /**
   * Without an offline queue, a command sent before the first connection is ready would fail:
   * start waits for it, at most STARTUP_WAIT_MS (the subscriber's subscription, made next, waits
   * for Redis anyway; past the wait the app starts and commands answer 503 until Redis is there).
   */
  async onModuleInit(): Promise<void> {
    if (this.client.status === 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    let onReady: (() => void) | undefined;
    await new Promise<void>((resolve) => {
      onReady = resolve;
      this.client.once('ready', onReady);
      timer = setTimeout(() => {
        this.logger.warn({ connection: 'commands', waitedMs: STARTUP_WAIT_MS }, 'redis not ready at start');
        resolve();
      }, STARTUP_WAIT_MS);
    });
    clearTimeout(timer);
    this.client.off('ready', onReady!);
  }

  key(...parts: string[]): string {
    return [this.config.env.REDIS_PREFIX, ...parts].join(':');
  }

  /** Publishes a message on an event channel to every replica, this one included. */
  async publish(channel: string, message: string): Promise<void> {
    await this.client.publish(this.key('events', channel), message);
  }

  /** Calls `listener` with every message on every event channel (names without the prefix). */
  async subscribeAll(listener: Listener): Promise<void> {
    // One pattern subscription, so a channel needs no Redis round trip of its own.
    this.subscribed ??= this.subscriberConnection()
      .psubscribe(`${globEscape(this.key('events', ''))}*`)
      .catch((err: unknown) => {
        this.subscribed = undefined;
        throw err;
      });
    await this.subscribed;
    this.listeners.add(listener);
  }

  onResubscribed(listener: () => void): void {
    this.resubscribed.add(listener);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  private subscriberConnection(): Redis {
    if (!this.subscriber) {
      this.subscriber = this.connect('subscriber');
      this.subscriber.on('pmessage', (_pattern: string, channel: string, message: string) =>
        this.dispatch(channel, message),
      );
      // ioredis subscribes again on reconnect; what was published while it was away is gone.
      let lost = false;
      this.subscriber.on('close', () => (lost = true));
      this.subscriber.on('ready', () => {
        if (!lost) return;
        lost = false;
        for (const listener of this.resubscribed) listener();
      });
    }
    return this.subscriber;
  }

  private dispatch(fullChannel: string, message: string): void {
    const channel = fullChannel.slice(this.key('events', '').length);
    for (const listener of this.listeners) {
      try {
        listener(channel, message);
      } catch (err) {
        this.logger.error({ err, channel }, 'event listener failed');
      }
    }
  }

  private connect(name: string, options: RedisOptions = {}): Redis {
    const redis = new Redis(this.config.env.REDIS_URL, {
      connectionName: `ml-api:${name}`,
      maxRetriesPerRequest: 3,
      retryStrategy: reconnectDelay(this.config.env.REDIS_RECONNECT_MAX_MS),
      ...options,
    });
    redis.on('error', (err: Error) => this.logger.warn({ err: err.message, connection: name }, 'redis error'));
    return redis;
  }

  /** QUIT where connected; otherwise stop reconnecting: a QUIT to a Redis that is down would wait and retry for good. */
  async onApplicationShutdown(): Promise<void> {
    const connections = this.subscriber ? [this.client, this.subscriber] : [this.client];
    await Promise.allSettled(connections.map(close));
  }
}

/** How long start waits for the command connection (see onModuleInit). */
const STARTUP_WAIT_MS = 10_000;

/** The prefix may hold Redis glob characters; they must match themselves in the pattern. */
const globEscape = (text: string) => text.replace(/[\\*?[\]]/g, '\\$&');

async function close(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
