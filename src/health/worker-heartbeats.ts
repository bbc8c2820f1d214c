import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { withTimeout } from '../common/with-timeout';
import { AppConfig } from '../config/app-config';
import { RedisService } from '../redis/redis.service';

export interface WorkerBeat {
  id: string;
  lastBeatAt: string;
}

/** A worker counts as alive while its last heartbeat is younger than this many intervals. */
export const STALE_AFTER_BEATS = 3;

/** Readers (probes, scrapes, job reads) wait no longer than this for the heartbeats. */
const READ_TIMEOUT_MS = 1_000;

/**
 * Worker liveness in Redis, readable from any replica: one sorted set whose members are worker
 * ids scored by the time of their last beat, so reading the live ones is one range query. Every
 * replica's `/metrics` reports their number as `mlapi_workers_alive`, read at each scrape.
 */
@Injectable()
export class WorkerHeartbeats {
  /** This process's id among the workers: host name and pid (a container's host name is its own). */
  readonly selfId = `${hostname()}:${process.pid}`;

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
    registry: Registry,
  ) {
    const read = () => this.alive();
    new Gauge({
      name: 'mlapi_workers_alive',
      help: `Workers whose heartbeat is younger than ${STALE_AFTER_BEATS} × WORKER_HEARTBEAT_MS (shared in Redis, the same on every replica); NaN when Redis cannot be read`,
      registers: [registry],
      async collect() {
        // A scrape must not fail because Redis does: the gauge says "unknown" instead.
        this.set(
          await read().then(
            (beats) => beats.length,
            () => NaN,
          ),
        );
      },
    });
  }

  /** How long after its last beat a worker counts as gone. */
  get staleAfterMs(): number {
    return STALE_AFTER_BEATS * this.config.env.WORKER_HEARTBEAT_MS;
  }

  async beat(now = Date.now()): Promise<void> {
    await this.redis.client.zadd(this.key(), now, this.selfId);
  }

  async leave(): Promise<void> {
    await this.redis.client.zrem(this.key(), this.selfId);
  }

  /** Workers that beat recently, most recent first; prunes the ones long gone. Rejects after a second without Redis. */
  alive(now = Date.now()): Promise<WorkerBeat[]> {
    const read = this.read(now);
    read.catch(() => undefined); // a late rejection after the timeout is not unhandled
    return withTimeout(read, READ_TIMEOUT_MS, 'Redis did not answer');
  }

  private async read(now: number): Promise<WorkerBeat[]> {
    const since = now - this.staleAfterMs;
    await this.redis.client.zremrangebyscore(this.key(), '-inf', `(${since}`);
    const flat = await this.redis.client.zrevrangebyscore(this.key(), '+inf', since, 'WITHSCORES');
    const beats: WorkerBeat[] = [];
    for (let i = 0; i < flat.length; i += 2)
      beats.push({ id: flat[i], lastBeatAt: new Date(Number(flat[i + 1])).toISOString() });
    return beats;
  }

  private key(): string {
    return this.redis.key('workers');
  }
}
