import Redis from 'ioredis';

/**
 * Deletes every key under a REDIS_PREFIX: test files and benchmarks leave nothing behind. A Redis
 * that cannot be reached (an outage test's private one, stopped) holds nothing to delete: the
 * client gives up after a few attempts instead of reconnecting for good.
 */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: (attempt) => (attempt > 3 ? null : 200) });
  redis.on('error', () => undefined);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } catch {
    // unreachable: see above
  } finally {
    redis.disconnect();
  }
}
