import type { Logger } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

const METRIC = 'mlapi_stale_answers_total';

/** A background refresh that has not answered in this long counts as failed (a partition hangs rather than refuses). */
export const REFRESH_TIMEOUT_MS = 2_000;
/** After a failed refresh, the next is not tried before this (one attempt a second per entry, whatever the load). */
export const REFRESH_RETRY_MS = 1_000;

/**
 * The policy of a cache that keeps serving its last known good answers (a verified API token, an
 * alias's version) while the database that gave them is unreachable: an answer is used up to
 * `maxStaleMs` past its freshness, each request so served is counted in
 * `mlapi_stale_answers_total{cache}`, and the start and end of such a period are logged once.
 * Refreshes happen in the background (the caller's business), so an outage adds no latency.
 */
export class LastKnownGood {
  private readonly counter: Counter<'cache'>;
  private degradedSince: number | null = null;

  constructor(
    private readonly cache: string,
    private readonly maxStaleMs: number,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    // One counter for every cache of the process: the first to ask creates it.
    this.counter =
      (registry.getSingleMetric(METRIC) as Counter<'cache'> | undefined) ??
      new Counter({
        name: METRIC,
        help: 'Requests answered from a last known good cache entry while its source (PostgreSQL) was unreachable',
        labelNames: ['cache'],
        registers: [registry],
      });
  }

  /** Whether an answer whose freshness ended at `freshUntil` may still be served. */
  usable(freshUntil: number, now = Date.now()): boolean {
    return now <= freshUntil || now - freshUntil <= this.maxStaleMs;
  }

  /** A request was answered past the answer's freshness: counted while a refresh has failed. */
  served(freshUntil: number, now = Date.now()): void {
    if (now > freshUntil && this.degradedSince !== null) this.counter.inc({ cache: this.cache });
  }

  /** A background refresh could not reach the source. */
  refreshFailed(err: unknown): void {
    if (this.degradedSince !== null) return;
    this.degradedSince = Date.now();
    this.logger.warn(
      { cache: this.cache, err: (err as Error).message, maxStaleMs: this.maxStaleMs },
      `the database is unreachable: serving ${this.cache} answers from memory (at most ${this.maxStaleMs} ms past their freshness)`,
    );
  }

  refreshed(): void {
    if (this.degradedSince === null) return;
    this.logger.log(
      { cache: this.cache, degradedMs: Date.now() - this.degradedSince },
      `the database answers again: ${this.cache} answers are fresh`,
    );
    this.degradedSince = null;
  }
}
