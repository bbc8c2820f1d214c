/** Writes one row into `bytes` at `at`; returns the offset after it. */
export type RowWriter = (bytes: Buffer, at: number) => number;

/**
 * Writes one or more batches, oldest first, in one statement: each batch's rows' bytes, as their
 * writers wrote them. `retry`: an earlier write failed, and may have committed before its reply
 * was lost, so the writer must skip stored rows. The bytes are reused for later rows once the
 * promise resolves: the writer must be done with them.
 */
export type BatchWriter = (batches: Buffer[], retry: boolean) => Promise<void>;

export interface BufferStats {
  buffered: number;
  written: number;
  dropped: number;
  failedFlushes: number;
}

export interface BufferOptions {
  /** Rows kept at most (written or not); beyond it new rows are dropped. */
  maxRows: number;
  /** Rows a batch holds at most; it is written as soon as it has them. */
  batchSize: number;
  /** Batches one write takes at most, when several are waiting. */
  batchesPerWrite: number;
  /** After a failed write, appends leave the retry to `flush` for this long. */
  retryDelayMs: number;
  onDrop: (total: number) => void;
  onError: (err: unknown) => void;
}

/** A batch's memory: rows are written into it until it holds batchSize rows or is full. */
export const BATCH_BYTES = 1 << 20;
/** Memory of written batches kept for the next ones, so that a steady load allocates none. */
const SPARE_BATCHES = 2;

/** One batch: its rows, encoded, in `bytes[0, used)`. */
interface Batch {
  bytes: Buffer;
  used: number;
  rows: number;
}

/**
 * The prediction log's write-behind buffer: requests append and return at once; a batch is
 * written as soon as it is full, a partial one by `flush` (the owner's timer); in order, one write
 * at a time. A write takes every batch waiting, up to batchesPerWrite: when batches fill faster
 * than one is written (a loaded server handles each write's reply late), or after an outage, the
 * backlog goes in fewer, larger writes. Rows of a failed write stay at the head and are retried by
 * the next flush (appends do not retry for `retryDelayMs`, or an outage would bring a failed write
 * per request), so nothing is lost while the database is down until the bound is reached; beyond
 * it new rows are dropped and counted (never silently: `onDrop` is told). No I/O of its own
 * (unit-tested).
 *
 * Rows are encoded into their batch's bytes (outside the JavaScript heap) as they are appended:
 * rows waiting for their batch then hold nothing the garbage collector copies or promotes (as
 * strings, many outlive young-generation collections), and a batch is written as it is.
 */
export class PredictionBuffer {
  /** Batches waiting to be written, oldest first. */
  private readonly ready: Batch[] = [];
  /** The batch taking rows; null until the next append. */
  private open: Batch | null = null;
  private readonly spare: Buffer[] = [];
  private buffered = 0;
  /** Rows in the batches closed so far (written or not): a flush waits until these are written. */
  private closedRows = 0;
  private running: Promise<boolean> | null = null;
  /** After a failed write, until when appends leave it alone (Date.now() ms); null after a success. */
  private retryAfter: number | null = null;
  private readonly stats = { written: 0, dropped: 0, failedFlushes: 0 };

  constructor(
    private readonly write: BatchWriter,
    private readonly options: BufferOptions,
  ) {}

  /**
   * Adds one row, which `write` encodes into the batch's memory; `room` is the most bytes it can
   * take. False when the buffer is full and the row was dropped (`write` is then not called).
   */
  append(room: number, write: RowWriter): boolean {
    if (this.buffered >= this.options.maxRows) {
      this.stats.dropped++;
      this.options.onDrop(this.stats.dropped);
      return false;
    }
    if (this.open && this.open.bytes.length - this.open.used < room) this.close();
    const batch = (this.open ??= { bytes: this.take(room), used: 0, rows: 0 });
    batch.used = write(batch.bytes, batch.used);
    batch.rows++;
    this.buffered++;
    if (batch.rows >= this.options.batchSize) this.close();
    return true;
  }

  get size(): number {
    return this.buffered;
  }

  /** Whether a full batch is waiting (the owner writes it at once instead of on its timer). */
  get hasFullBatch(): boolean {
    return this.ready.length > 0;
  }

  snapshot(): BufferStats {
    return { buffered: this.buffered, ...this.stats };
  }

  /**
   * Writes the full batches waiting, and keeps the open one for later rows or a flush. Called on
   * appends: writing whatever is there the moment a write ends would chase the tail of the buffer
   * with ever smaller batches, and each batch costs PostgreSQL a statement and a commit.
   */
  writeFullBatches(): Promise<boolean> {
    if (this.retryAfter !== null && Date.now() < this.retryAfter) return Promise.resolve(false);
    return this.start();
  }

  /**
   * Writes every row buffered now, the last batch partial. Resolves true once they are written,
   * false when a write failed (rows kept for the next attempt). Rows appended meanwhile wait for a
   * full batch or the next flush.
   */
  async flush(): Promise<boolean> {
    if (this.open) this.close();
    const target = this.closedRows;
    // A run that was ending when this was called may stop short of the target: start another.
    while (this.stats.written < target) if (!(await this.start())) return false;
    return true;
  }

  /** Moves the open batch to the write queue. */
  private close(): void {
    const batch = this.open!;
    this.open = null;
    // A batch that must wait behind others (the database is slow or down) keeps only the memory its
    // rows need: small batches (flushes, or few rows a batch) would otherwise hold a BATCH_BYTES each.
    if (this.ready.length > 0 && batch.used < batch.bytes.length / 2) {
      const full = batch.bytes;
      batch.bytes = Buffer.from(full.subarray(0, batch.used));
      this.recycle(full);
    }
    this.ready.push(batch);
    this.closedRows += batch.rows;
  }

  /** Memory for a batch, with at least `room` bytes. */
  private take(room: number): Buffer {
    if (room <= BATCH_BYTES && this.spare.length > 0) return this.spare.pop()!;
    return Buffer.allocUnsafeSlow(Math.max(BATCH_BYTES, room));
  }

  private recycle(bytes: Buffer): void {
    if (bytes.length === BATCH_BYTES && this.spare.length < SPARE_BATCHES) this.spare.push(bytes);
  }

  /** One writing run at a time, shared by every caller meanwhile. */
  private start(): Promise<boolean> {
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<boolean> {
    while (this.ready.length > 0) {
      // Batches closed during the write wait for the next one (they are behind these in `ready`).
      const taken = this.ready.slice(0, this.options.batchesPerWrite);
      try {
        await this.write(
          taken.map((b) => b.bytes.subarray(0, b.used)),
          this.retryAfter !== null,
        );
      } catch (err) {
        this.stats.failedFlushes++;
        this.retryAfter = Date.now() + this.options.retryDelayMs;
        this.options.onError(err);
        return false;
      }
      this.ready.splice(0, taken.length);
      for (const batch of taken) {
        this.recycle(batch.bytes);
        this.buffered -= batch.rows;
        this.stats.written += batch.rows;
      }
      this.retryAfter = null;
    }
    return true;
  }
}
