import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { finished } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER } from '../../database/copy-binary';
import { LOG_COLUMNS, appendLogRows, type AnsweredRequest } from './log-rows';
import { maintainPartitions } from './log-partitions';
import { PredictionBuffer, type BufferStats } from './prediction-buffer';
import { checkoutClient } from '../../database/pooled-client';

const MAINTENANCE_MS = 3_600_000;
// A backlog is written up to this many batches to a COPY (32,000 rows at the default batch size):
// a loaded server handles each COPY's reply late, so with fewer batches a COPY the buffer fills
// and drops rows while PostgreSQL has CPU to spare.
export const BATCHES_PER_WRITE = 32;
// PostgreSQL: "no partition of relation found for row" (the clock passed the last partition).
const NO_PARTITION = '23514';

/**
 * The prediction log (inference.predictions): answered predictions are buffered in memory and
 * written in batches (a COPY takes every batch waiting, up to BATCHES_PER_WRITE; see `write` for
 * retries) every INFERENCE_LOG_FLUSH_MS or as soon as a batch is full, so a response never waits
 * for the database. See PredictionBuffer for what happens while PostgreSQL is down. Flushed once
 * more on shutdown.
 */
@Injectable()
export class PredictionLog implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(PredictionLog.name);
  private readonly buffer: PredictionBuffer;
  private flushTimer?: NodeJS.Timeout;
  private maintenanceTimer?: NodeJS.Timeout;
  private lastDropLog = 0;
  /** Drops counted in the last warning: each warning says how many were dropped since. */
  private droppedWhenLogged = 0;
  private closed = false;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
  ) {
    const env = config.env;
    this.buffer = new PredictionBuffer((batches, retry) => this.write(batches, retry), {
      maxRows: env.INFERENCE_LOG_BUFFER_MAX,
      batchSize: env.INFERENCE_LOG_BATCH_SIZE,
      batchesPerWrite: BATCHES_PER_WRITE,
      // After a failed write the timer retries it: one attempt per flush interval during an outage.
      retryDelayMs: env.INFERENCE_LOG_FLUSH_MS,
      onDrop: (total) => this.onDrop(total),
      onError: (err) =>
        this.logger.warn(
          { err: (err as Error).message, buffered: this.buffer.size },
          'prediction log flush failed; will retry',
        ),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.maintain();
    this.flushTimer = setInterval(() => void this.flush(), this.config.env.INFERENCE_LOG_FLUSH_MS);
    this.maintenanceTimer = setInterval(() => void this.maintain(), MAINTENANCE_MS);
    // Timers must not keep a process alive that is otherwise done.
    this.flushTimer.unref();
    this.maintenanceTimer.unref();
  }

  /**
   * Queues the predictions of one answered request; never waits. Throws only for an id that is not
   * a uuid (ids come from newPredictionId: that would be a bug, and a wrong id is never written).
   */
  append(answered: AnsweredRequest): void {
    if (this.closed) {
      // A request that finished after the shutdown flush: the database may already be closed.
      this.logger.warn(
        { count: answered.records.length },
        'predictions answered after the prediction log closed were not logged',
      );
      return;
    }
    appendLogRows(answered, this.buffer);
    if (this.buffer.hasFullBatch) void this.buffer.writeFullBatches();
  }

  /** Counters for monitoring: rows buffered, written, dropped (buffer full) and failed flushes. */
  stats(): BufferStats {
    return this.buffer.snapshot();
  }

  flush(): Promise<boolean> {
    return this.buffer.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.flushTimer);
    clearInterval(this.maintenanceTimer);
    this.closed = true;
    if (!(await this.flush()))
      this.logger.error({ lost: this.buffer.size }, 'prediction log could not be flushed at shutdown');
  }

  /** Creates upcoming partitions and drops expired ones; failures are logged and retried hourly. */
  async maintain(now = new Date()): Promise<void> {
    const env = this.config.env;
    try {
      const { created, dropped } = await maintainPartitions(
        this.ds,
        now,
        env.INFERENCE_LOG_PARTITIONS_AHEAD,
        env.INFERENCE_LOG_RETENTION_DAYS,
      );
      if (created.length || dropped.length)
        this.logger.log({ created, dropped }, 'prediction log partitions maintained');
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'prediction log partition maintenance failed');
    }
  }

  private async write(batches: Buffer[], retry: boolean): Promise<void> {
    // A retried write goes through a temporary table and INSERT ... ON CONFLICT DO NOTHING, so no
    // row is stored twice. First attempts COPY straight into the log (the ids are new).
    try {
      await this.copy(batches, retry);
    } catch (err) {
      if ((err as { code?: string }).code !== NO_PARTITION) throw err;
      await this.maintain();
      await this.copy(batches, true);
    }
  }

  private async copy(batches: Buffer[], idempotent: boolean): Promise<void> {
    const client = await checkoutClient(this.ds);
    try {
      if (!idempotent) {
        await copyInto(client, `inference.predictions (${LOG_COLUMNS})`, batches);
      } else {
        await client.query('BEGIN');
        await client.query('CREATE TEMP TABLE prediction_log_retry (LIKE inference.predictions) ON COMMIT DROP');
        await copyInto(client, `prediction_log_retry (${LOG_COLUMNS})`, batches);
        await client.query(
          `INSERT INTO inference.predictions (${LOG_COLUMNS}) SELECT ${LOG_COLUMNS} FROM prediction_log_retry ON CONFLICT DO NOTHING`,
        );
        await client.query('COMMIT');
      }
    } catch (err) {
      // A connection that failed mid-COPY or mid-transaction is closed, not handed back to the pool.
      client.release(err as Error);
      throw err;
    }
    client.release();
  }

  private onDrop(total: number): void {
    // One line per flush interval at most: a flood of warnings would hide everything else.
    const now = Date.now();
    if (now - this.lastDropLog < this.config.env.INFERENCE_LOG_FLUSH_MS) return;
    this.lastDropLog = now;
    const dropped = total - this.droppedWhenLogged;
    this.droppedWhenLogged = total;
    this.logger.warn(
      { dropped, droppedTotal: total, bufferMax: this.config.env.INFERENCE_LOG_BUFFER_MAX },
      'prediction log buffer full: predictions dropped from the log',
    );
  }
}

/** COPY of batches of log rows (binary format, appendLogRows) into `target`, as one statement (bench:log-read too). */
export async function copyInto(client: ClientBase, target: string, batches: Buffer[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${target} FROM STDIN (FORMAT binary)`));
  // Written as they are: a stream pipeline would cost more than the writes (AbortController, DOMException).
  stream.write(COPY_BINARY_HEADER);
  for (const rows of batches) stream.write(rows);
  stream.end(COPY_BINARY_TRAILER);
  await finished(stream);
}
