/**
 * From a window's summed buckets and the version's reference profile to the drift library's
 * inputs, and the verdict per column (src/ml/drift). Older reference profiles (decile bins, no
 * per-bin sums) still give every statistic, from counts only: marked `approximate` (the binned
 * Wasserstein's error is then up to 0.62 on credit_data instead of 0.031).
 */
import {
  categoryColumnDrift,
  categoryQuality,
  datasetDrift,
  DEFAULT_DRIFT_SETTINGS,
  numericColumnDrift,
  numericQuality,
  OTHER_CATEGORY,
  populationStdFromSample,
  PROBABILITY_BINS,
  type BinCounts,
  type CategoryProfile,
  type CategoryQuality,
  type ColumnDrift,
  type DatasetDrift,
  type DriftSettings,
  type NumericProfile,
  type NumericQuality,
  type ProbabilityHistogram,
  type ReferenceProfile,
} from '../../ml';
import type { BucketAggregate, CategoryAggregate, NumericAggregate } from './bucket-aggregate';

export type ApproximateReason = 'reference_without_bin_sums';

export interface ColumnReport {
  name: string;
  kind: 'numeric' | 'category';
  drift: ColumnDrift;
  quality: NumericQuality | CategoryQuality;
  approximate?: ApproximateReason;
}

export interface BucketDriftReport {
  rows: number;
  columns: ColumnReport[];
  /** The model output (a binary model's positive-class probability, a regression's value); null without a reference. */
  prediction: { drift: ColumnDrift; approximate?: ApproximateReason } | null;
  dataset: DatasetDrift;
}

const noReference = (currentRows: number, method: ColumnDrift['method']): ColumnDrift => ({
  method,
  score: null,
  drifted: null,
  reason: 'no_reference',
  referenceRows: 0,
  currentRows,
  psi: NaN,
  jensenShannon: NaN,
});

function currentBins(n: NumericAggregate): BinCounts {
  return {
    counts: n.counts,
    sums: n.sums,
    below: n.below,
    above: n.above,
    belowSum: n.belowSum,
    aboveSum: n.aboveSum,
  };
}

function numericDrift(
  profile: NumericProfile | undefined,
  current: BinCounts,
  settings: DriftSettings,
): { drift: ColumnDrift; approximate?: ApproximateReason } {
  const h = profile?.histogram;
  if (!profile || !h || h.counts.length !== current.counts.length) {
    return { drift: noReference(current.below + current.above + sum(current.counts), 'wasserstein') };
  }
  const reference: BinCounts = {
    counts: h.counts,
    below: h.below,
    above: h.above,
    ...(h.sums ? { sums: h.sums } : {}),
  };
  const drift = numericColumnDrift(
    {
      edges: h.edges,
      reference,
      referenceStd: populationStdFromSample(profile.std, profile.count),
      current,
      ...(profile.values ? { values: profile.values } : {}),
    },
    settings,
  );
  return h.sums ? { drift } : { drift, approximate: 'reference_without_bin_sums' };
}

function categoryDrift(profile: CategoryProfile | undefined, agg: CategoryAggregate, settings: DriftSettings) {
  const present = sum(agg.counts) + agg.unseen.reduce((s, [, c]) => s + c, 0) + agg.unseenOther;
  if (!profile) return noReference(present, 'jensenshannon');
  const reference = new Map(profile.top.map((t) => [t.value, t.count]));
  if (profile.other > 0) reference.set(OTHER_CATEGORY, profile.other);
  const current = new Map<string, number>();
  const add = (k: string, c: number) => c > 0 && current.set(k, (current.get(k) ?? 0) + c);
  // Values beyond the profile's list (known to the model, or unseen) are the reference's `other`
  // when it has one; else unseen values stay apart, and count as values the reference never had.
  agg.counts.forEach((c, i) => add(i < profile.top.length ? profile.top[i].value : OTHER_CATEGORY, c));
  for (const [v, c] of agg.unseen) add(profile.other > 0 ? OTHER_CATEGORY : v, c);
  add(OTHER_CATEGORY, agg.unseenOther);
  return categoryColumnDrift(reference, current, settings);
}

/** A live probability histogram (PROBABILITY_BINS) on the reference's equal-width bins (100, or 10 in older bundles). */
export function probabilityBins(h: ProbabilityHistogram, referenceBins: number): BinCounts | null {
  if (referenceBins < 1 || PROBABILITY_BINS % referenceBins !== 0) return null;
  const width = PROBABILITY_BINS / referenceBins;
  const counts = new Array<number>(referenceBins).fill(0);
  const sums = new Array<number>(referenceBins).fill(0);
  for (let i = 0; i < PROBABILITY_BINS; i++) {
    counts[Math.floor(i / width)] += h.counts[i];
    sums[Math.floor(i / width)] += h.sums[i];
  }
  return { counts, sums, below: 0, above: 0 };
}

/**
 * A multiclass model's predicted classes as a category column (the same tests and rows as a
 * category feature), against the test part's predicted classes; the aggregate's class counts are
 * in the plan's class order, which its per-class probability histograms name.
 */
function predictedClassDrift(agg: BucketAggregate, reference: CategoryProfile, settings: DriftSettings) {
  const p = agg.prediction;
  if (p.probabilities.length !== p.classes.length) return null;
  const ref = new Map(reference.top.map((t) => [t.value, t.count]));
  if (reference.other > 0) ref.set(OTHER_CATEGORY, reference.other);
  const current = new Map<string, number>();
  p.classes.forEach((c, i) => {
    const name = ref.has(p.probabilities[i].class) || reference.other === 0 ? p.probabilities[i].class : OTHER_CATEGORY;
    if (c > 0) current.set(name, (current.get(name) ?? 0) + c);
  });
  return { drift: categoryColumnDrift(ref, current, settings) };
}

function predictionDrift(agg: BucketAggregate, profile: ReferenceProfile | undefined, settings: DriftSettings) {
  const reference = profile?.prediction;
  const p = agg.prediction;
  if (p.values) return numericDrift(reference, currentBins(p.values), settings);
  if (profile?.predictedClasses && p.probabilities.length > 1)
    return predictedClassDrift(agg, profile.predictedClasses, settings);
  // A binary model: its positive-class probability; an older multiclass profile keeps no prediction reference.
  if (p.probabilities.length !== 1 || !reference?.histogram) return null;
  const current = probabilityBins(p.probabilities[0], reference.histogram.counts.length);
  return current ? numericDrift(reference, current, settings) : null;
}

const sum = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
};

/** Drift and data quality of each feature and of the output, and the dataset verdict over the features. */
export function bucketDrift(
  agg: BucketAggregate,
  profile: ReferenceProfile | undefined,
  settings: DriftSettings = DEFAULT_DRIFT_SETTINGS,
): BucketDriftReport {
  const byName = new Map((profile?.features ?? []).map((f) => [f.name, f.profile]));
  const columns: ColumnReport[] = [];
  for (const n of agg.numeric) {
    const ref = byName.get(n.name);
    const bins = currentBins(n);
    const { drift, approximate } = numericDrift(ref?.kind === 'numeric' ? ref : undefined, bins, settings);
    columns.push({
      name: n.name,
      kind: 'numeric',
      drift,
      quality: numericQuality(bins, n.missing),
      ...(approximate ? { approximate } : {}),
    });
  }
  for (const c of agg.categories) {
    const ref = byName.get(c.name);
    const unseen = c.unseen.reduce((s, [, k]) => s + k, 0) + c.unseenOther;
    const present = sum(c.counts) + unseen;
    const drift = categoryDrift(ref?.kind === 'category' ? ref : undefined, c, settings);
    columns.push({ name: c.name, kind: 'category', drift, quality: categoryQuality(present, c.missing, unseen) });
  }
  return {
    rows: agg.rows,
    columns,
    prediction: predictionDrift(agg, profile, settings),
    dataset: datasetDrift(
      columns.map((c) => c.drift.drifted),
      settings,
    ),
  };
}
