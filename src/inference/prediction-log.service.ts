import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { finished } from 'node:stream/promises';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { copyLine } from '../database/copy-text';
import { AppConfig } from '../config/app-config';
import { maintainPartitions } from './log-partitions';
import { PredictionBuffer, type BufferStats, type PredictionRow } from './prediction-buffer';

const COLUMNS = 'id, created_at, model, version, alias, caller, features, output, latency_ms';
const MAINTENANCE_MS = 3_600_000;
// PostgreSQL: "no partition of relation found for row" (the clock passed the last partition).
const NO_PARTITION = '23514';

/**
 * The prediction log (inference.predictions): answered predictions are buffered in memory and
 * written in batches (one COPY each; see `write` for retries) every INFERENCE_LOG_FLUSH_MS or as
 * soon as a batch is full, so a response never waits for the database. See PredictionBuffer for what
 * happens while PostgreSQL is down. Flushed once more on shutdown.
 */
@Injectable()
export class PredictionLog implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(PredictionLog.name);
  private readonly buffer: PredictionBuffer;
  private flushTimer?: NodeJS.Timeout;
  private maintenanceTimer?: NodeJS.Timeout;
  private lastDropLog = 0;
  private closed = false;
  private lastWriteFailed = false;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
  ) {
    const env = config.env;
    this.buffer = new PredictionBuffer((rows) => this.write(rows), {
      maxRows: env.INFERENCE_LOG_BUFFER_MAX,
      batchSize: env.INFERENCE_LOG_BATCH_SIZE,
      onDrop: (count, total) => this.onDrop(count, total),
      onError: (err) => this.logger.warn({ err: (err as Error).message, buffered: this.buffer.size }, 'prediction log flush failed; will retry'),
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

  /** Queues answered predictions; never waits and never throws. */
  append(rows: PredictionRow[]): void {
    if (this.closed) {
      // A request that finished after the shutdown flush: the database may already be closed.
      this.logger.warn({ count: rows.length }, 'predictions answered after the prediction log closed were not logged');
      return;
    }
    this.buffer.append(rows);
    if (this.buffer.hasFullBatch) void this.flush();
  }

  /** An unflushed prediction (feedback may come before its row reaches the table). */
  pending(id: string): PredictionRow | undefined {
    return this.buffer.pending(id);
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
    if (!(await this.flush())) this.logger.error({ lost: this.buffer.size }, 'prediction log could not be flushed at shutdown');
  }

  /** Creates upcoming partitions and drops expired ones; failures are logged and retried hourly. */
  async maintain(now = new Date()): Promise<void> {
    const env = this.config.env;
    try {
      const { created, dropped } = await maintainPartitions(this.ds, now, env.INFERENCE_LOG_PARTITIONS_AHEAD, env.INFERENCE_LOG_RETENTION_DAYS);
      if (created.length || dropped.length) this.logger.log({ created, dropped }, 'prediction log partitions maintained');
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'prediction log partition maintenance failed');
    }
  }

  private async write(rows: PredictionRow[]): Promise<void> {
    // A batch that failed may have committed before its reply was lost: retry it with INSERT ...
    // ON CONFLICT DO NOTHING so it is never stored twice. First attempts use COPY (several times
    // faster: no per-element array escaping, no jsonb[] parsing), which keeps up with batch traffic.
    const retry = this.lastWriteFailed;
    this.lastWriteFailed = true;
    try {
      await (retry ? this.insert(rows) : this.copy(rows));
    } catch (err) {
      if ((err as { code?: string }).code !== NO_PARTITION) throw err;
      await this.maintain();
      await this.insert(rows);
    }
    this.lastWriteFailed = false;
  }

  private async copy(rows: PredictionRow[]): Promise<void> {
    const text = copyText(rows);
    const pool = (this.ds.driver as PostgresDriver).master as Pool;
    const client = await pool.connect();
    try {
      const stream = client.query(copyFrom(`COPY inference.predictions (${COLUMNS}) FROM STDIN`));
      // One chunk: a stream pipeline would cost more than the write (AbortController, DOMException).
      stream.end(text);
      await finished(stream);
    } catch (err) {
      // A connection that failed mid-COPY is closed, not handed back to the pool.
      client.release(err as Error);
      throw err;
    }
    client.release();
  }

  private async insert(rows: PredictionRow[]): Promise<void> {
    await this.ds.query(
      `INSERT INTO inference.predictions (${COLUMNS})
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::int[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::real[])
       ON CONFLICT DO NOTHING`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.createdAt.toISOString()),
        rows.map((r) => r.model),
        rows.map((r) => r.version),
        rows.map((r) => r.alias),
        rows.map((r) => r.caller),
        rows.map((r) => JSON.stringify(r.features)),
        rows.map((r) => JSON.stringify(r.output)),
        rows.map((r) => r.latencyMs),
      ],
    );
  }

  private onDrop(count: number, total: number): void {
    // One line per flush interval at most: a flood of warnings would hide everything else.
    const now = Date.now();
    if (now - this.lastDropLog < this.config.env.INFERENCE_LOG_FLUSH_MS) return;
    this.lastDropLog = now;
    this.logger.warn({ dropped: count, droppedTotal: total, bufferMax: this.config.env.INFERENCE_LOG_BUFFER_MAX }, 'prediction log buffer full: predictions dropped from the log');
  }
}

/** The rows in COPY text format, in COLUMNS order. */
function copyText(rows: PredictionRow[]): string {
  // The rows of one request share their Date: it is formatted once.
  let date: Date | null = null;
  let iso = '';
  let text = '';
  for (const r of rows) {
    if (r.createdAt !== date) [date, iso] = [r.createdAt, r.createdAt.toISOString()];
    text += copyLine([r.id, iso, r.model, r.version, r.alias, r.caller, JSON.stringify(r.features), JSON.stringify(r.output), r.latencyMs]);
  }
  return text;
}
