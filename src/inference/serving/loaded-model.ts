import type { Predictor, RecordPrediction, CellValue } from '../../ml';

export type Prediction = Extract<RecordPrediction, { ok: true }>;
type Values = Record<string, CellValue>;

interface Pending {
  values: ReadonlyArray<Values>;
  resolve: (out: Prediction[]) => void;
  reject: (err: unknown) => void;
}

export interface BatchOptions {
  /** Most rows in one tfjs call; a request at least this large runs alone, at once. */
  maxRows: number;
  /**
   * Longest the first request of a batch waits for others (ms). 0: only requests that arrive
   * in the same event-loop turn (setImmediate). A full batch runs at once, never later.
   */
  waitMs: number;
  /** Told the size of every tfjs call (metrics). */
  onBatch?: (rows: number) => void;
}

const DEFAULTS: BatchOptions = { maxRows: 32, waitMs: 0 };

/**
 * One loaded model version. Requests are micro-batched: one tfjs `predict` costs about the same
 * whatever the batch (docs/benchmarks.md), so concurrent requests share one call. A batch runs when it
 * holds `maxRows` rows or when its first request has waited `waitMs`, whichever comes first, so
 * batching never adds more than `waitMs` to a request. Reference counting lets an evicted
 * version finish the requests that hold it before its weights are freed, so a request always
 * completes on the version it started with.
 */
export class LoadedModel {
  private refs = 0;
  private evicted = false;
  private disposed = false;
  private queue: Pending[] = [];
  private queuedRows = 0;
  private timeout: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private readonly options: BatchOptions;

  constructor(
    readonly model: string,
    readonly version: number,
    readonly predictor: Predictor,
    options: Partial<BatchOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  acquire(): this {
    if (this.disposed) throw new Error(`model ${this.model} v${this.version} is disposed`);
    this.refs++;
    return this;
  }

  release(): void {
    this.refs--;
    this.disposeIfIdle();
  }

  /** Called when the cache drops this version: weights are freed once no request holds it. */
  evict(): void {
    this.evicted = true;
    this.disposeIfIdle();
  }

  predict(values: ReadonlyArray<Values>): Promise<Prediction[]> {
    if (values.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const pending: Pending = { values, resolve, reject };
      const { maxRows, waitMs } = this.options;
      // Large requests are batches already: waiting would only delay them.
      if (values.length >= maxRows) return this.run([pending]);
      if (this.queuedRows + values.length > maxRows) this.flush();
      this.queue.push(pending);
      this.queuedRows += values.length;
      if (this.queuedRows >= maxRows) this.flush();
      else if (this.timeout === null && this.immediate === null) {
        if (waitMs > 0) this.timeout = setTimeout(this.flush, waitMs);
        else this.immediate = setImmediate(this.flush);
      }
    });
  }

  /** Runs whatever is queued now (arrow: used as a timer callback). */
  private readonly flush = (): void => {
    if (this.timeout !== null) clearTimeout(this.timeout);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timeout = this.immediate = null;
    const queue = this.queue;
    this.queue = [];
    this.queuedRows = 0;
    if (queue.length) this.run(queue);
  };

  private run(batch: Pending[]): void {
    try {
      const all = batch.length === 1 ? batch[0].values : batch.flatMap((p) => p.values);
      const out = this.predictor.predictValues(all);
      this.options.onBatch?.(all.length);
      let offset = 0;
      for (const p of batch) {
        p.resolve(out.slice(offset, offset + p.values.length));
        offset += p.values.length;
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  private disposeIfIdle(): void {
    if (this.evicted && this.refs <= 0 && !this.disposed) {
      this.disposed = true;
      this.predictor.dispose();
    }
  }
}
