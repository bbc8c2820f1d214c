/**
 * What a bucket holds, as stored (monitoring.buckets.payload) and as summed over a window: plain
 * JSON, arrays in the order of the version's BucketPlan, so buckets of one version (several
 * replicas, several minutes) add up field by field.
 */
import { PROBABILITY_BINS, type ProbabilityHistogram } from '../../ml';
import type { BucketPlan } from './bucket-plan';
import { emptyLatency } from './latency-histogram';

/** Distinct unseen values kept per category feature and bucket (and in a sum); the rest are counted together. */
export const MAX_UNSEEN_VALUES = 20;
/** An unseen value is kept up to this many characters (a request may send long strings). */
export const MAX_UNSEEN_LENGTH = 100;

export interface NumericAggregate {
  name: string;
  /** Per reference bin, as drift's BinCounts: counts, Σ values; below/above the edges with their Σ. */
  counts: number[];
  sums: number[];
  below: number;
  above: number;
  belowSum: number;
  aboveSum: number;
  missing: number;
  /** Σ x² of the present values (with the sums: the window's mean and std). */
  squares: number;
}

export interface CategoryAggregate {
  name: string;
  /** Per value of the plan (`CategoryPlan.values`). */
  counts: number[];
  /** Values the training data did not have, with their counts (at most MAX_UNSEEN_VALUES). */
  unseen: [string, number][];
  /** Unseen values beyond those kept. */
  unseenOther: number;
  missing: number;
}

/** One class's probabilities on PROBABILITY_BINS equal-width bins over [0, 1]: the CBPE estimator's input. */
export interface ClassProbabilities extends ProbabilityHistogram {
  class: string;
  /**
   * Multiclass: the same histogram over the rows predicted this class (multiclass CBPE's precision,
   * recall, F1 and accuracy need it). Absent in buckets from before it, and in a sum with any of those.
   */
  predicted?: ProbabilityHistogram;
}

export interface PredictionAggregate {
  /** Predicted labels per class of the plan (classification). */
  classes: number[];
  probabilities: ClassProbabilities[];
  /** Regression: the predicted values on the reference prediction bins. */
  values: NumericAggregate | null;
}

export interface BucketAggregate {
  /** Predictions counted. */
  rows: number;
  numeric: NumericAggregate[];
  categories: CategoryAggregate[];
  prediction: PredictionAggregate;
  /**
   * Requests per latency bin (latency-histogram.ts: LATENCY_BINS log-spaced bins, 0.1 ms to 60 s),
   * one count per request. Absent in buckets written before it: counted as empty when summed.
   */
  latency?: number[];
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

function emptyNumeric(name: string, edges: ArrayLike<number>): NumericAggregate {
  const k = Math.max(edges.length - 1, 0);
  return {
    name,
    counts: zeros(k),
    sums: zeros(k),
    below: 0,
    above: 0,
    belowSum: 0,
    aboveSum: 0,
    missing: 0,
    squares: 0,
  };
}

export function emptyAggregate(plan: BucketPlan): BucketAggregate {
  const p = plan.prediction;
  return {
    rows: 0,
    numeric: plan.numeric.map((n) => emptyNumeric(n.name, n.edges)),
    categories: plan.categories.map((c) => ({
      name: c.name,
      counts: zeros(c.values.length),
      unseen: [],
      unseenOther: 0,
      missing: 0,
    })),
    prediction: {
      classes: zeros(p.classes.length),
      probabilities: p.probabilityClasses.map((c) => ({
        class: c,
        counts: zeros(PROBABILITY_BINS),
        sums: zeros(PROBABILITY_BINS),
        ...(p.task === 'multiclass'
          ? { predicted: { counts: zeros(PROBABILITY_BINS), sums: zeros(PROBABILITY_BINS) } }
          : {}),
      })),
      values: p.task === 'regression' ? emptyNumeric('prediction', p.valueEdges) : null,
    },
    latency: emptyLatency(),
  };
}

function addArrays(into: number[], from: ReadonlyArray<number>, what: string): void {
  if (into.length !== from.length) throw new Error(`buckets of different layouts cannot be added (${what})`);
  for (let i = 0; i < into.length; i++) into[i] += from[i];
}

function addNumeric(into: NumericAggregate, from: NumericAggregate): void {
  if (into.name !== from.name) throw new Error(`buckets of different layouts cannot be added (${into.name})`);
  addArrays(into.counts, from.counts, into.name);
  addArrays(into.sums, from.sums, into.name);
  into.below += from.below;
  into.above += from.above;
  into.belowSum += from.belowSum;
  into.aboveSum += from.aboveSum;
  into.missing += from.missing;
  into.squares += from.squares;
}

/** Unseen values of two buckets together; past MAX_UNSEEN_VALUES the most frequent stay (ties: by value). */
function mergeUnseen(into: CategoryAggregate, from: CategoryAggregate): void {
  const all = new Map(into.unseen);
  for (const [v, c] of from.unseen) all.set(v, (all.get(v) ?? 0) + c);
  into.unseenOther += from.unseenOther;
  if (all.size <= MAX_UNSEEN_VALUES) {
    into.unseen = [...all];
    return;
  }
  const sorted = [...all].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  into.unseen = sorted.slice(0, MAX_UNSEEN_VALUES);
  for (const [, c] of sorted.slice(MAX_UNSEEN_VALUES)) into.unseenOther += c;
}

/** A histogram missing on either side (a bucket from before it) is an empty one. */
export function addLatency(into: { latency?: number[] }, from: ReadonlyArray<number> | undefined): void {
  if (!from) return;
  if (into.latency) addArrays(into.latency, from, 'latency');
  else into.latency = [...from];
}

/** Adds `from` into `into` (same version, so same layout; a different one throws). */
export function addAggregate(into: BucketAggregate, from: BucketAggregate): BucketAggregate {
  if (into.numeric.length !== from.numeric.length || into.categories.length !== from.categories.length) {
    throw new Error('buckets of different layouts cannot be added (features)');
  }
  into.rows += from.rows;
  into.numeric.forEach((n, i) => addNumeric(n, from.numeric[i]));
  into.categories.forEach((c, i) => {
    if (c.name !== from.categories[i].name) throw new Error(`buckets of different layouts cannot be added (${c.name})`);
    addArrays(c.counts, from.categories[i].counts, c.name);
    c.missing += from.categories[i].missing;
    mergeUnseen(c, from.categories[i]);
  });
  const p = into.prediction;
  const q = from.prediction;
  addArrays(p.classes, q.classes, 'classes');
  if (p.probabilities.length !== q.probabilities.length)
    throw new Error('buckets of different layouts cannot be added (probabilities)');
  p.probabilities.forEach((h, i) => {
    addArrays(h.counts, q.probabilities[i].counts, h.class);
    addArrays(h.sums, q.probabilities[i].sums, h.class);
    const other = q.probabilities[i].predicted;
    if (h.predicted && other) {
      addArrays(h.predicted.counts, other.counts, h.class);
      addArrays(h.predicted.sums, other.sums, h.class);
    } else delete h.predicted; // a bucket from before it: the sum cannot say which rows were predicted what
  });
  if (p.values && q.values) addNumeric(p.values, q.values);
  else if (p.values || q.values) throw new Error('buckets of different layouts cannot be added (values)');
  addLatency(into, from.latency);
  return into;
}

/** The sum of buckets of one version (a deep copy of the first, then the others added). */
export function sumAggregates(buckets: ReadonlyArray<BucketAggregate>): BucketAggregate | null {
  if (!buckets.length) return null;
  const sum = structuredClone(buckets[0]);
  for (let i = 1; i < buckets.length; i++) addAggregate(sum, buckets[i]);
  return sum;
}
