/** What feedback needs of a prediction that is not in the table yet. */
export interface PredictionSource {
  model: string;
  version: number;
}

/**
 * Writes one batch: the rows' COPY text lines, joined. `retry`: an earlier attempt at this batch
 * failed, and may have committed before its reply was lost, so the writer must skip stored rows.
 */
export type BatchWriter = (text: string, retry: boolean) => Promise<void>;

export interface BufferStats {
  buffered: number;
  written: number;
  dropped: number;
  failedFlushes: number;
}

/**
 * The prediction log's write-behind buffer: requests append and return at once; full batches are
 * written as soon as they fill, the rest by `flush` (the owner's timer); in order, one at a time.
 * A failed batch stays at the head and is retried by the next flush (appends do not retry it for
 * `retryDelayMs`, or an outage would bring a failed write per request), so nothing is lost while
 * the database is down until the bound is reached; beyond it new rows are dropped and counted
 * (never silently: `onDrop` is told). No I/O of its own (unit-tested).
 *
 * Rows are kept as their COPY text lines, encoded when appended: one string a row instead of
 * the row's objects (features, output), which would outlive young-generation collections while
 * they wait and cost the garbage collector more than the encoding does.
 */
export class PredictionBuffer {
  private lines: string[] = [];
  private ids: string[] = [];
  /** Unwritten rows by id, for feedback that arrives before its prediction is flushed. */
  private readonly byId = new Map<string, PredictionSource>();
  private running: Promise<boolean> | null = null;
  /** Rows up to this count of written rows go out even as a partial batch (see flush). */
  private flushTarget = 0;
  /** After a failed write, until when appends leave it alone (Date.now() ms); null after a success. */
  private retryAfter: number | null = null;
  private readonly stats = { written: 0, dropped: 0, failedFlushes: 0 };

  constructor(
    private readonly write: BatchWriter,
    private readonly options: { maxRows: number; batchSize: number; retryDelayMs: number; onDrop: (total: number) => void; onError: (err: unknown) => void },
  ) {}

  /** Adds one row; false when the buffer is full and the row was dropped. */
  append(id: string, source: PredictionSource, line: string): boolean {
    if (this.lines.length >= this.options.maxRows) {
      this.stats.dropped++;
      this.options.onDrop(this.stats.dropped);
      return false;
    }
    this.lines.push(line);
    this.ids.push(id);
    this.byId.set(id, source);
    return true;
  }

  get size(): number {
    return this.lines.length;
  }

  /** Whether a full batch is waiting (the owner writes it at once instead of on its timer). */
  get hasFullBatch(): boolean {
    return this.lines.length >= this.options.batchSize;
  }

  pending(id: string): PredictionSource | undefined {
    return this.byId.get(id);
  }

  snapshot(): BufferStats {
    return { buffered: this.lines.length, ...this.stats };
  }

  /**
   * Writes the full batches waiting, and keeps the rest for a later full batch or flush. Called
   * on appends: writing whatever is there the moment a write ends would chase the tail of the
   * buffer with ever smaller batches (under load they averaged 55 rows instead of 1,000, and each
   * batch costs PostgreSQL a statement and a commit).
   */
  writeFullBatches(): Promise<boolean> {
    if (this.retryAfter !== null && Date.now() < this.retryAfter) return Promise.resolve(false);
    return this.start();
  }

  /**
   * Writes every row buffered now, batch by batch, the last one partial. Resolves true once they
   * are written, false when a write failed (rows kept for the next attempt). Rows appended
   * meanwhile wait for a full batch or the next flush.
   */
  async flush(): Promise<boolean> {
    const target = this.stats.written + this.lines.length;
    this.flushTarget = Math.max(this.flushTarget, target);
    // A run that was ending when this was called may stop short of the target: start another.
    while (this.stats.written < target) if (!(await this.start())) return false;
    return true;
  }

  /** One writing run at a time, shared by every caller meanwhile. */
  private start(): Promise<boolean> {
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<boolean> {
    const { batchSize } = this.options;
    while (this.lines.length >= batchSize || (this.lines.length > 0 && this.stats.written < this.flushTarget)) {
      const count = Math.min(batchSize, this.lines.length);
      try {
        await this.write(this.lines.slice(0, count).join(''), this.retryAfter !== null);
      } catch (err) {
        this.stats.failedFlushes++;
        this.retryAfter = Date.now() + this.options.retryDelayMs;
        this.options.onError(err);
        return false;
      }
      // Appends only push to the tail, so the head is still this batch.
      this.lines.splice(0, count);
      for (const id of this.ids.splice(0, count)) this.byId.delete(id);
      this.stats.written += count;
      this.retryAfter = null;
    }
    return true;
  }
}
