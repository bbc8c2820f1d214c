import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { PredictionObserver, type ObservedRequest } from '../../inference';
import { BucketAccumulator, type SealedBucket } from './bucket-accumulator';
import { deleteOldBuckets, insertBuckets } from './bucket-store';

const RETENTION_SWEEP_MS = 3_600_000;

export interface BucketStats {
  open: number;
  pending: number;
  written: number;
  dropped: number;
  failedFlushes: number;
}

/**
 * Monitoring's PredictionObserver: counts every answered prediction into this replica's per-minute
 * buckets, and every INFERENCE_LOG_FLUSH_MS (the prediction log's cadence) writes the buckets of
 * the minutes that ended to monitoring.buckets. A failed write keeps them (at most
 * MONITORING_BUCKETS_PENDING_MAX, the oldest dropped beyond it, counted and logged) and the next
 * tick retries them with the same ids. At shutdown the open minutes are sealed and written too.
 */
@Injectable()
export class BucketRecorder extends PredictionObserver implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(BucketRecorder.name);
  private readonly accumulator = new BucketAccumulator();
  private pending: SealedBucket[] = [];
  private running: Promise<boolean> | null = null;
  private flushTimer?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  private closed = false;
  private failing = false;
  private readonly stats_ = { written: 0, dropped: 0, failedFlushes: 0 };

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
  ) {
    super();
  }

  get enabled(): boolean {
    return this.config.env.MONITORING_BUCKETS_ENABLED;
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    this.flushTimer = setInterval(() => void this.flush(), this.config.env.INFERENCE_LOG_FLUSH_MS);
    this.sweepTimer = setInterval(() => void this.sweep(), RETENTION_SWEEP_MS);
    this.flushTimer.unref();
    this.sweepTimer.unref();
    void this.sweep();
  }

  observe(request: ObservedRequest): void {
    if (!this.enabled) return;
    if (this.closed) {
      this.logger.warn(
        { count: request.values.length },
        'predictions answered after the buckets closed were not counted',
      );
      return;
    }
    this.accumulator.observe(request);
  }

  stats(): BucketStats {
    return { open: this.accumulator.size, pending: this.pending.length, ...this.stats_ };
  }

  /**
   * Seals the minutes that ended (every open bucket with `all`) and writes whatever is pending.
   * True once everything sealed is written; false when the write failed (kept for the next one).
   */
  async flush(all = false): Promise<boolean> {
    this.take(all);
    // One write at a time; a flush that came meanwhile writes what was sealed after it.
    while (this.running) await this.running;
    if (!this.pending.length) return true;
    this.running = this.write().finally(() => (this.running = null));
    return this.running;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.flushTimer);
    clearInterval(this.sweepTimer);
    if (!this.enabled) return;
    this.closed = true;
    if (!(await this.flush(true)))
      this.logger.error({ lost: this.pending.length }, 'monitoring buckets could not be written at shutdown');
  }

  /** Deletes buckets older than MONITORING_BUCKETS_RETENTION_DAYS (0 keeps them); failures are logged and retried hourly. */
  async sweep(): Promise<void> {
    const days = this.config.env.MONITORING_BUCKETS_RETENTION_DAYS;
    if (days === 0) return;
    try {
      const deleted = await deleteOldBuckets(this.ds, days);
      if (deleted) this.logger.log({ deleted, retentionDays: days }, 'old monitoring buckets deleted');
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'monitoring bucket retention sweep failed');
    }
  }

  private take(all: boolean): void {
    this.pending.push(...this.accumulator.seal(Date.now(), all));
    const excess = this.pending.length - this.config.env.MONITORING_BUCKETS_PENDING_MAX;
    if (excess > 0) {
      this.pending.splice(0, excess);
      this.stats_.dropped += excess;
      this.logger.warn(
        {
          dropped: excess,
          droppedTotal: this.stats_.dropped,
          pendingMax: this.config.env.MONITORING_BUCKETS_PENDING_MAX,
        },
        'monitoring buckets dropped: too many waiting for PostgreSQL',
      );
    }
  }

  private async write(): Promise<boolean> {
    const batch = this.pending.slice();
    try {
      await insertBuckets(this.ds, batch);
    } catch (err) {
      this.stats_.failedFlushes++;
      if (!this.failing)
        this.logger.warn(
          { err: (err as Error).message, pending: batch.length },
          'monitoring buckets not written; will retry',
        );
      this.failing = true;
      return false;
    }
    // Buckets dropped meanwhile (the bound) may have been among these: remove by identity.
    const written = new Set(batch);
    this.pending = this.pending.filter((b) => !written.has(b));
    this.stats_.written += batch.length;
    if (this.failing) this.logger.log({ written: batch.length }, 'monitoring buckets written again');
    this.failing = false;
    return true;
  }
}
