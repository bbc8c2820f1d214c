import type { BullRootModuleOptions } from '@nestjs/bull';
import type { AppConfig } from '../config/app-config';
import { reconnectDelay } from './reconnect-delay';

/**
 * Bull's connections, shared by every queue: its default reconnection delay grows to 20 s, so
 * queues resumed long after Redis came back; capped like the app's own. Bull sets what its
 * blocking client needs itself (`maxRetriesPerRequest: null`, `enableReadyCheck: false`), so
 * these options leave both alone.
 */
export function bullOptions(config: AppConfig): BullRootModuleOptions {
  return {
    url: config.env.REDIS_URL,
    prefix: `${config.env.REDIS_PREFIX}:bull`,
    redis: { retryStrategy: reconnectDelay(config.env.REDIS_RECONNECT_MAX_MS) },
  };
}
