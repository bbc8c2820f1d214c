import { randomUUID } from 'node:crypto';
import type { ObservedRequest } from '../../inference';
import { emptyAggregate, type BucketAggregate } from './bucket-aggregate';
import { countLatency, countRequest } from './bucket-counting';
import { planFor, type BucketPlan } from './bucket-plan';

export const MINUTE_MS = 60_000;

/** A bucket taken out of the accumulator, with the id that makes its write idempotent. */
export interface SealedBucket {
  id: string;
  model: string;
  version: number;
  alias: string | null;
  /** Start of its UTC minute (ms since the epoch). */
  minute: number;
  aggregate: BucketAggregate;
}

interface OpenBucket {
  model: string;
  version: number;
  alias: string | null;
  minute: number;
  plan: BucketPlan;
  aggregate: BucketAggregate;
}

/**
 * The open buckets of one replica: one per model version, alias as served and UTC minute. No I/O
 * (unit-tested); BucketRecorder seals and writes them.
 */
export class BucketAccumulator {
  private readonly open = new Map<string, OpenBucket>();

  observe({ model, version, alias, at, latencyMs, meta, values, outputs }: ObservedRequest): void {
    const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;
    const key = `${minute}\u0000${model}\u0000${version}\u0000${alias ?? ''}`;
    let bucket = this.open.get(key);
    if (!bucket) {
      const plan = planFor(meta);
      bucket = { model, version, alias, minute, plan, aggregate: emptyAggregate(plan) };
      this.open.set(key, bucket);
    }
    countRequest(bucket.aggregate, bucket.plan, values, outputs);
    if (latencyMs !== undefined) countLatency(bucket.aggregate, latencyMs);
  }

  /** Open buckets (for the memory bound and the tests). */
  get size(): number {
    return this.open.size;
  }

  /**
   * Takes out the buckets of minutes that ended before `now` (every bucket with `all`, at shutdown
   * or when asked to flush everything), each with a new id. A minute sealed early gets a new bucket
   * for its later predictions: readers sum rows, so both count.
   */
  seal(now: number, all = false): SealedBucket[] {
    const current = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const sealed: SealedBucket[] = [];
    for (const [key, b] of this.open) {
      if (!all && b.minute >= current) continue;
      this.open.delete(key);
      sealed.push({
        id: randomUUID(),
        model: b.model,
        version: b.version,
        alias: b.alias,
        minute: b.minute,
        aggregate: b.aggregate,
      });
    }
    return sealed;
  }
}
