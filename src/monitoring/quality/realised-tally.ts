import { figuresFromConfusion, probabilityBin, regressionFromSums, type Confusion } from '../../ml';

/** What the realised figures are of: the version's task and, for a binary one, its positive class. */
export interface TallyTask {
  task: 'binary' | 'multiclass' | 'regression';
  /** The class precision, recall, F1 and ROC AUC are of (binary); null falls back to macro figures. */
  positiveClass: string | null;
}

/** A window's realised figures: metric name (as in `realised_<metric>`) → value, NaN where undefined. */
export interface RealisedFigures {
  /** Labelled predictions counted. */
  n: number;
  /** Labelled rows left out: an output without a label or value, a label that is not a number (regression). */
  skipped: number;
  figures: Record<string, number>;
  /** How the figures were made (averaging, the ROC AUC's binning and its largest error). */
  method: Record<string, unknown>;
}

/**
 * Score bins of the ROC AUC: the pairs whose scores share a bin count ½ as ties do, so the area is
 * within `rocAucTieBound` (reported) of the exact one, at 2 × bins counters per class whatever the
 * window's size.
 */
export const AUC_BINS = 1000;

type Output = Record<string, unknown>;

/**
 * Realised quality of a window, aggregated one labelled prediction at a time (pages of the log
 * joined to feedback) in memory that does not grow with the window: a confusion (binary, or per
 * class), score histograms per class for the ROC AUC, and sums for regression. The figures are
 * those of what was served: a record's predicted class is its logged label, its score the logged
 * probability.
 */
export class RealisedTally {
  private n = 0;
  private skipped = 0;
  private readonly confusion = new Map<string, Map<string, number>>();
  /** Per class, counts of that class's score among records of the class (pos) and of others (neg). */
  private readonly scores = new Map<string, { pos: number[]; neg: number[] }>();
  private readonly sums = { n: 0, squaredError: 0, absoluteError: 0, target: 0, squaredTarget: 0 };

  constructor(readonly task: TallyTask) {}

  get count(): number {
    return this.n;
  }

  /** Counts one labelled prediction; false (and counted as skipped) when it cannot be used. */
  add(output: Output, label: string | number): boolean {
    if (this.task.task === 'regression') return this.addRegression(output, label);
    const predicted = output.label;
    if (typeof predicted !== 'string') return this.skip();
    const actual = String(label);
    const row = this.confusion.get(actual) ?? new Map<string, number>();
    row.set(predicted, (row.get(predicted) ?? 0) + 1);
    this.confusion.set(actual, row);
    const probabilities = output.probabilities as Record<string, unknown> | undefined;
    for (const [cls, p] of Object.entries(probabilities ?? {})) {
      if (typeof p !== 'number' || !Number.isFinite(p)) continue;
      const h = this.histogramOf(cls);
      (cls === actual ? h.pos : h.neg)[probabilityBin(p, AUC_BINS)]++;
    }
    this.n++;
    return true;
  }

  figures(): RealisedFigures {
    const base = { n: this.n, skipped: this.skipped };
    if (this.task.task === 'regression') {
      const r = regressionFromSums(this.sums);
      return { ...base, figures: { rmse: r.rmse, mae: r.mae, r2: r.r2 }, method: { task: 'regression' } };
    }
    const classes = this.classes();
    const positive = this.task.task === 'binary' ? this.task.positiveClass : null;
    if (positive !== null) {
      const auc = binnedAuc(this.histogramOf(positive));
      const c = this.oneVsRest(positive);
      return {
        ...base,
        figures: { ...figuresFromConfusion(c), roc_auc: auc.value },
        method: { task: 'binary', positiveClass: positive, rocAucBins: AUC_BINS, rocAucTieBound: auc.tieBound },
      };
    }
    const perClass = classes.map((cls) => ({
      ...figuresFromConfusion(this.oneVsRest(cls)),
      auc: binnedAuc(this.histogramOf(cls)),
    }));
    const macro = (pick: (c: (typeof perClass)[number]) => number) => mean(perClass.map(pick).filter(Number.isFinite));
    return {
      ...base,
      figures: {
        accuracy: this.diagonal() / this.n,
        precision: macro((c) => c.precision),
        recall: macro((c) => c.recall),
        f1: macro((c) => c.f1),
        roc_auc: macro((c) => c.auc.value),
      },
      method: {
        task: this.task.task,
        averaging: 'macro over the classes seen (labels or predictions), undefined ones left out',
        classes,
        rocAucBins: AUC_BINS,
        rocAucTieBound: Math.max(0, ...perClass.map((c) => c.auc.tieBound).filter(Number.isFinite)),
      },
    };
  }

  private addRegression(output: Output, label: string | number): boolean {
    const predicted = output.value;
    const actual = typeof label === 'number' ? label : Number(label);
    if (typeof predicted !== 'number' || !Number.isFinite(predicted) || !Number.isFinite(actual) || label === '')
      return this.skip();
    const e = predicted - actual;
    this.sums.n++;
    this.sums.squaredError += e * e;
    this.sums.absoluteError += Math.abs(e);
    this.sums.target += actual;
    this.sums.squaredTarget += actual * actual;
    this.n++;
    return true;
  }

  private skip(): false {
    this.skipped++;
    return false;
  }

  private histogramOf(cls: string): { pos: number[]; neg: number[] } {
    let h = this.scores.get(cls);
    if (!h) {
      h = { pos: new Array<number>(AUC_BINS).fill(0), neg: new Array<number>(AUC_BINS).fill(0) };
      this.scores.set(cls, h);
    }
    return h;
  }

  /** Every class among the labels and the predictions, sorted. */
  private classes(): string[] {
    const seen = new Set<string>(this.confusion.keys());
    for (const row of this.confusion.values()) for (const cls of row.keys()) seen.add(cls);
    return [...seen].sort();
  }

  private diagonal(): number {
    let d = 0;
    for (const [actual, row] of this.confusion) d += row.get(actual) ?? 0;
    return d;
  }

  private oneVsRest(cls: string): Confusion {
    const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
    for (const [actual, row] of this.confusion)
      for (const [predicted, k] of row) {
        if (actual === cls) c[predicted === cls ? 'tp' : 'fn'] += k;
        else c[predicted === cls ? 'fp' : 'tn'] += k;
      }
    return c;
  }
}

/**
 * Mann–Whitney area from binned scores: a positive beats the negatives of lower bins and ties
 * (½) those of its own. `tieBound` is the largest error that binning can make: half the share of
 * positive–negative pairs sharing a bin. NaN when a side is empty.
 */
export function binnedAuc(h: { pos: ArrayLike<number>; neg: ArrayLike<number> }): { value: number; tieBound: number } {
  let below = 0;
  let wins = 0;
  let ties = 0;
  let positives = 0;
  for (let b = 0; b < h.pos.length; b++) {
    wins += h.pos[b] * below;
    ties += h.pos[b] * h.neg[b];
    below += h.neg[b];
    positives += h.pos[b];
  }
  const pairs = positives * below;
  if (pairs === 0) return { value: NaN, tieBound: NaN };
  return { value: (wins + ties / 2) / pairs, tieBound: ties / 2 / pairs };
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}
