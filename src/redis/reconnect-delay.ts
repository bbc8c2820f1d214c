/**
 * ioredis' `retryStrategy` for every Redis connection of the app, Bull's included: 200 ms more at
 * each attempt, never more than `maxMs`. Bull's own default grows to 20 s, so its queues resumed
 * up to 20 s after Redis came back; capped, they resume within `maxMs`.
 */
export const reconnectDelay =
  (maxMs: number) =>
  (attempt: number): number =>
    Math.min(attempt * 200, maxMs);
