import { randomUUID } from 'node:crypto';
import Bull from 'bull';
import { loadConfig } from '../../src/config/app-config';
import { bullOptions } from '../../src/redis/bull-options';
import { PrivateRedis } from '../support/private-services';

/** Long enough for Bull's default backoff (e^n ms, up to 20 s) to have grown past the cap. */
const OUTAGE_MS = 20_000;
/** The "within a few seconds", bounded generously (the cap is REDIS_RECONNECT_MAX_MS, 2 s). */
const RECOVERY_BOUND_MS = 8_000;

describe("Bull's connections after a Redis outage (#18 item 6)", () => {
  let redis: PrivateRedis;
  let queue: Bull.Queue<{ n: number }>;
  const processed = new Map<number, number>();
  const arrived = new Set<(n: number) => void>();

  /** Resolves with the time job `n` was processed. */
  const whenProcessed = (n: number) =>
    new Promise<number>((resolve) => {
      if (processed.has(n)) return resolve(processed.get(n)!);
      const listener = (done: number) => {
        if (done !== n) return;
        arrived.delete(listener);
        resolve(processed.get(n)!);
      };
      arrived.add(listener);
    });

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    const config = loadConfig({
      NODE_ENV: 'test',
      REDIS_URL: redis.url,
      REDIS_PREFIX: `mlapi-test-${randomUUID().slice(0, 8)}`,
    });
    // As @nestjs/bull builds every queue of the app from BullModule.forRoot's options.
    const options = bullOptions(config);
    queue = new Bull('recovery-probe', options.url!, options);
    queue.on('error', () => undefined); // connection errors while Redis is down are the point
    void queue.process(async (job) => {
      processed.set(job.data.n, Date.now());
      for (const listener of arrived) listener(job.data.n);
    });
    await queue.add({ n: 1 });
    await whenProcessed(1);
  });

  let redisDown = false;

  afterAll(async () => {
    if (redisDown) await redis.up();
    await queue?.close();
    await redis?.down();
  });

  it('processes a job added after Redis returns within a few seconds', async () => {
    await redis.down();
    redisDown = true;
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await redis.up();
    redisDown = false;
    const back = Date.now();
    await queue.add({ n: 2 });
    const recoveryMs = (await whenProcessed(2)) - back;
    console.log(`Redis down ${OUTAGE_MS} ms; a job added once it was back was processed ${recoveryMs} ms later`);
    expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
  }, 120_000);
});
