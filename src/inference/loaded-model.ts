import type { Predictor, RecordPrediction } from '../ml/predictor';
import type { CellValue } from '../ml/schema';

export type Prediction = Extract<RecordPrediction, { ok: true }>;
type Values = Record<string, CellValue>;

interface Pending {
  values: ReadonlyArray<Values>;
  resolve: (out: Prediction[]) => void;
  reject: (err: unknown) => void;
}

/**
 * One loaded model version. Requests are micro-batched: every request that arrives before the
 * next turn of the event loop shares one tfjs `predict` call (~100 µs whatever the batch size,
 * DESIGN.md). Reference counting lets an evicted version finish the requests that hold it before
 * its weights are freed, so a request always completes on the version it started with.
 */
export class LoadedModel {
  private refs = 0;
  private evicted = false;
  private disposed = false;
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    readonly model: string,
    readonly version: number,
    readonly predictor: Predictor,
    /** Largest number of rows in one tfjs call (bounds the tensor a burst can build). */
    private readonly maxRows = 4096,
  ) {}

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
      this.queue.push({ values, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
    let start = 0;
    while (start < queue.length) {
      // Take whole requests up to maxRows (a single larger request still goes alone).
      let rows = 0;
      let end = start;
      while (end < queue.length && (end === start || rows + queue[end].values.length <= this.maxRows)) rows += queue[end++].values.length;
      this.run(queue.slice(start, end));
      start = end;
    }
  }

  private run(batch: Pending[]): void {
    try {
      const all = batch.length === 1 ? batch[0].values : batch.flatMap((p) => p.values);
      const out = this.predictor.predictValues(all);
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
