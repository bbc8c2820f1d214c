/**
 * Counting one answered request into a bucket, on the predict path: a binary search on the
 * precomputed edges per numeric feature, a Map lookup per category, array increments; nothing
 * allocated per record but the rare unseen value.
 */
import { binIndex, probabilityBin, type CellValue } from '../../ml';
import type { Prediction } from '../../inference';
import {
  MAX_UNSEEN_LENGTH,
  MAX_UNSEEN_VALUES,
  type BucketAggregate,
  type CategoryAggregate,
  type NumericAggregate,
} from './bucket-aggregate';
import type { BucketPlan, CategoryPlan } from './bucket-plan';
import { emptyLatency, latencyBin } from './latency-histogram';

type Values = Readonly<Record<string, CellValue>>;

/** A present number goes to its reference bin, or below/above the edges (out of the training range). */
export function countNumber(agg: NumericAggregate, edges: Float64Array, v: CellValue | undefined): void {
  if (typeof v !== 'number' || Number.isNaN(v)) {
    agg.missing++;
    return;
  }
  agg.squares += v * v;
  // Without edges (training had no value) every value is out of range.
  const bin = edges.length < 2 ? agg.counts.length : binIndex(edges, v);
  if (bin < 0) {
    agg.below++;
    agg.belowSum += v;
  } else if (bin >= agg.counts.length) {
    agg.above++;
    agg.aboveSum += v;
  } else {
    agg.counts[bin]++;
    agg.sums[bin] += v;
  }
}

function countCategory(agg: CategoryAggregate, plan: CategoryPlan, v: CellValue | undefined): void {
  if (v === null || v === undefined) {
    agg.missing++;
    return;
  }
  const value = typeof v === 'string' ? v : String(v);
  const i = plan.index.get(value);
  if (i !== undefined) {
    agg.counts[i]++;
    return;
  }
  const kept = value.length > MAX_UNSEEN_LENGTH ? value.slice(0, MAX_UNSEEN_LENGTH) : value;
  for (const entry of agg.unseen) {
    if (entry[0] === kept) {
      entry[1]++;
      return;
    }
  }
  if (agg.unseen.length < MAX_UNSEEN_VALUES) agg.unseen.push([kept, 1]);
  else agg.unseenOther++;
}

function countOutput(agg: BucketAggregate, plan: BucketPlan, out: Prediction): void {
  const p = plan.prediction;
  const pred = agg.prediction;
  if (p.task === 'regression') {
    if (pred.values) countNumber(pred.values, p.valueEdges, out.value ?? null);
    return;
  }
  const c = out.label === undefined ? undefined : p.classIndex.get(out.label);
  if (c !== undefined) pred.classes[c]++;
  if (!out.probabilities) return;
  for (let i = 0; i < pred.probabilities.length; i++) {
    const h = pred.probabilities[i];
    const prob = out.probabilities[h.class];
    if (typeof prob !== 'number' || Number.isNaN(prob)) continue;
    const bin = probabilityBin(prob);
    h.counts[bin]++;
    h.sums[bin] += prob;
    // Multiclass: the histograms are of every class in the plan's order, so i is class c's.
    if (h.predicted && i === c) {
      h.predicted.counts[bin]++;
      h.predicted.sums[bin] += prob;
    }
  }
}

/** Adds a request's records and outputs (same length, same order) to `agg`, laid out by `plan`. */
export function countRequest(
  agg: BucketAggregate,
  plan: BucketPlan,
  values: ReadonlyArray<Values>,
  outputs: ReadonlyArray<Prediction>,
): void {
  for (let r = 0; r < values.length; r++) {
    const rec = values[r];
    for (let i = 0; i < plan.numeric.length; i++)
      countNumber(agg.numeric[i], plan.numeric[i].edges, rec[plan.numeric[i].name]);
    for (let i = 0; i < plan.categories.length; i++)
      countCategory(agg.categories[i], plan.categories[i], rec[plan.categories[i].name]);
    countOutput(agg, plan, outputs[r]);
  }
  agg.rows += values.length;
}

/** One answered request's latency (once per request, whatever its number of records). */
export function countLatency(agg: BucketAggregate, ms: number): void {
  (agg.latency ??= emptyLatency())[latencyBin(ms)]++;
}
