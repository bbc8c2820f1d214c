/**
 * Window against window: a baseline window's summed buckets turned into the reference side of
 * bucketDrift, in the shape of a reference profile. What is approximate: both windows are counted
 * on the training bins (20 quantile bins of the training data, so a baseline far from training
 * may crowd into few bins or below/above them); the baseline's values below and above the
 * training range are placed on its edges by the Wasserstein distance (a profile keeps no sums
 * for them); and category values the training profile did not list (or never saw) are one
 * `other` value on the baseline side; a binary model's probability keeps the training std for
 * the normed Wasserstein (a probability histogram holds no Σp²).
 */
import type { CategoryProfile, NumericProfile, ReferenceProfile } from '../../ml';
import type { BucketAggregate, NumericAggregate } from '../buckets/bucket-aggregate';
import { probabilityBins } from '../buckets/bucket-drift';

const total = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0);

function numericFrom(agg: NumericAggregate, training: NumericProfile | undefined): NumericProfile {
  const present = total(agg.counts) + agg.below + agg.above;
  const sum = total(agg.sums) + agg.belowSum + agg.aboveSum;
  const mean = present > 0 ? sum / present : null;
  // The sample std, as a profile keeps it (bucketDrift turns it back into the population one).
  const std = present > 1 ? Math.sqrt(Math.max(0, (agg.squares - (sum * sum) / present) / (present - 1))) : null;
  const edges = training?.histogram?.edges;
  return {
    kind: 'numeric',
    count: present,
    missing: agg.missing,
    mean,
    std,
    min: null,
    max: null,
    quantiles: [],
    ...(edges
      ? { histogram: { edges, counts: [...agg.counts], sums: [...agg.sums], below: agg.below, above: agg.above } }
      : {}),
    // Few values: counted on the training's per-value bins, so tested as a category here too.
    ...(training?.values ? { values: training.values } : {}),
  };
}

function categoryFrom(agg: BucketAggregate['categories'][number], training: CategoryProfile): CategoryProfile {
  // The training list's order: bucketDrift maps the current window's counts onto it by position.
  const listed = training.top.length;
  const top = training.top.map((t, i) => ({ value: t.value, count: agg.counts[i] ?? 0 }));
  const other = total(agg.counts.slice(listed)) + agg.unseen.reduce((s, [, c]) => s + c, 0) + agg.unseenOther;
  return {
    kind: 'category',
    count: total(agg.counts) + agg.unseen.reduce((s, [, c]) => s + c, 0) + agg.unseenOther,
    missing: agg.missing,
    distinct: top.filter((t) => t.count > 0).length + agg.unseen.length,
    top,
    other,
  };
}

function predictionFrom(baseline: BucketAggregate, training: ReferenceProfile): NumericProfile {
  const p = baseline.prediction;
  const reference = training.prediction;
  if (p.values) return numericFrom(p.values, reference);
  const h = reference?.histogram;
  const bins = h && p.probabilities.length === 1 ? probabilityBins(p.probabilities[0], h.counts.length) : null;
  const n = bins ? total(Array.from(bins.counts)) : 0;
  return {
    kind: 'numeric',
    count: n,
    missing: 0,
    mean: null,
    std: reference?.std ?? null,
    min: 0,
    max: 1,
    quantiles: [],
    ...(h && bins
      ? {
          histogram: {
            edges: h.edges,
            counts: Array.from(bins.counts),
            sums: Array.from(bins.sums ?? []),
            below: 0,
            above: 0,
          },
        }
      : {}),
  };
}

function categoryProfileOf(counts: { value: string; count: number }[]): CategoryProfile {
  const top = counts.filter((c) => c.count > 0);
  const count = total(top.map((c) => c.count));
  return { kind: 'category', count, missing: 0, distinct: top.length, top, other: 0 };
}

/** The baseline window as a reference profile on the training profile's bins and category list. */
export function baselineProfile(baseline: BucketAggregate, training: ReferenceProfile): ReferenceProfile {
  const byName = new Map(training.features.map((f) => [f.name, f]));
  const features: ReferenceProfile['features'] = [];
  for (const n of baseline.numeric) {
    const t = byName.get(n.name);
    if (t?.profile.kind === 'numeric') features.push({ ...t, profile: numericFrom(n, t.profile) });
  }
  for (const c of baseline.categories) {
    const t = byName.get(c.name);
    if (t?.profile.kind === 'category') features.push({ ...t, profile: categoryFrom(c, t.profile) });
  }
  const p = baseline.prediction;
  // A multiclass model's predicted classes, when training has them (see bucketDrift).
  const predictedClasses =
    training.predictedClasses && p.probabilities.length > 1 && p.probabilities.length === p.classes.length
      ? categoryProfileOf(p.probabilities.map((h, i) => ({ value: h.class, count: p.classes[i] })))
      : undefined;
  return {
    rows: baseline.rows,
    features,
    prediction: predictionFrom(baseline, training),
    ...(predictedClasses ? { predictedClasses } : {}),
  };
}
