import Redis from 'ioredis';

/** Deletes every key under a REDIS_PREFIX: test files and benchmarks leave nothing behind. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}
