import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { RedisService } from '../redis/redis.service';

export interface WorkerBeat {
  id: string;
  lastBeatAt: string;
}

/** A worker counts as alive while its last heartbeat is younger than this many intervals. */
const STALE_AFTER_BEATS = 3;

/**
 * Worker liveness in Redis, readable from any replica: one sorted set whose members are worker
 * ids scored by the time of their last beat, so reading the live ones is one range query.
 */
@Injectable()
export class WorkerHeartbeats {
  /** This process's id among the workers: host name and pid (a container's host name is its own). */
  readonly selfId = `${hostname()}:${process.pid}`;

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  async beat(now = Date.now()): Promise<void> {
    await this.redis.client.zadd(this.key(), now, this.selfId);
  }

  async leave(): Promise<void> {
    await this.redis.client.zrem(this.key(), this.selfId);
  }

  /** Workers that beat recently, most recent first; prunes the ones long gone. */
  async alive(now = Date.now()): Promise<WorkerBeat[]> {
    const since = now - STALE_AFTER_BEATS * this.config.env.WORKER_HEARTBEAT_MS;
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
