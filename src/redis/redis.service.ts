import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';

type Handler = (payload: unknown) => void;

/**
 * The app's Redis connections: one for commands, one subscriber for events every replica must
 * see (DESIGN.md: alias moved, token revoked). Channel and key names are prefixed with
 * REDIS_PREFIX so deployments (and parallel test files) can share one Redis.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis;
  private subscriber?: Redis;
  private readonly handlers = new Map<string, Set<Handler>>();

  constructor(private readonly config: AppConfig) {
    this.client = this.connect('commands');
  }

  key(...parts: string[]): string {
    return [this.config.env.REDIS_PREFIX, ...parts].join(':');
  }

  /** Publishes a JSON event to every replica, this one included. */
  async publish(channel: string, payload: unknown): Promise<void> {
    await this.client.publish(this.key('events', channel), JSON.stringify(payload));
  }

  async subscribe(channel: string, handler: Handler): Promise<void> {
    const full = this.key('events', channel);
    let set = this.handlers.get(full);
    if (!set) {
      set = new Set();
      this.handlers.set(full, set);
      await this.subscriberConnection().subscribe(full);
    }
    set.add(handler);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  private subscriberConnection(): Redis {
    if (!this.subscriber) {
      this.subscriber = this.connect('subscriber');
      this.subscriber.on('message', (channel: string, message: string) => this.dispatch(channel, message));
    }
    return this.subscriber;
  }

  private dispatch(channel: string, message: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      this.logger.warn({ channel }, 'ignored a malformed event');
      return;
    }
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (err) {
        this.logger.error({ err, channel }, 'event handler failed');
      }
    }
  }

  private connect(name: string): Redis {
    const redis = new Redis(this.config.env.REDIS_URL, { connectionName: `ml-api:${name}`, maxRetriesPerRequest: 3 });
    redis.on('error', (err: Error) => this.logger.warn({ err: err.message, connection: name }, 'redis error'));
    return redis;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.client.quit(), this.subscriber?.quit()]);
  }
}
