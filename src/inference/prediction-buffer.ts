/** One answered prediction, as stored in inference.predictions. */
export interface PredictionRow {
  id: string;
  createdAt: Date;
  model: string;
  version: number;
  alias: string | null;
  caller: string;
  features: Record<string, unknown>;
  output: Record<string, unknown>;
  latencyMs: number;
}

export type RowWriter = (rows: PredictionRow[]) => Promise<void>;

export interface BufferStats {
  buffered: number;
  written: number;
  dropped: number;
  failedFlushes: number;
}

/**
 * The prediction log's write-behind buffer: requests append and return at once; `flush` writes
 * batches in order, one at a time. A failed batch stays at the head and is retried on the next
 * flush, so nothing is lost while the database is down until the bound is reached; beyond it new
 * rows are dropped and counted (never silently: `onDrop` is told). No I/O of its own (unit-tested).
 */
export class PredictionBuffer {
  private rows: PredictionRow[] = [];
  /** Unwritten rows by id, for feedback that arrives before its prediction is flushed. */
  private readonly byId = new Map<string, PredictionRow>();
  private flushing: Promise<boolean> | null = null;
  private readonly stats = { written: 0, dropped: 0, failedFlushes: 0 };

  constructor(
    private readonly write: RowWriter,
    private readonly options: { maxRows: number; batchSize: number; onDrop: (count: number, total: number) => void; onError: (err: unknown) => void },
  ) {}

  /** Adds rows; returns how many were kept. */
  append(rows: PredictionRow[]): number {
    const room = Math.max(0, this.options.maxRows - this.rows.length);
    const kept = rows.length <= room ? rows : rows.slice(0, room);
    for (const r of kept) {
      this.rows.push(r);
      this.byId.set(r.id, r);
    }
    const dropped = rows.length - kept.length;
    if (dropped > 0) {
      this.stats.dropped += dropped;
      this.options.onDrop(dropped, this.stats.dropped);
    }
    return kept.length;
  }

  get size(): number {
    return this.rows.length;
  }

  /** Whether a full batch is waiting (the owner flushes at once instead of on its timer). */
  get hasFullBatch(): boolean {
    return this.rows.length >= this.options.batchSize;
  }

  pending(id: string): PredictionRow | undefined {
    return this.byId.get(id);
  }

  snapshot(): BufferStats {
    return { buffered: this.rows.length, ...this.stats };
  }

  /**
   * Writes everything buffered now, batch by batch. Resolves true when the buffer emptied, false
   * when a write failed (rows kept for the next attempt). Concurrent calls share one run.
   */
  flush(): Promise<boolean> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async drain(): Promise<boolean> {
    while (this.rows.length > 0) {
      const batch = this.rows.slice(0, this.options.batchSize);
      try {
        await this.write(batch);
      } catch (err) {
        this.stats.failedFlushes++;
        this.options.onError(err);
        return false;
      }
      // Appends only push to the tail, so the head is still this batch.
      this.rows.splice(0, batch.length);
      for (const r of batch) this.byId.delete(r.id);
      this.stats.written += batch.length;
    }
    return true;
  }
}
