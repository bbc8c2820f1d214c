import { binCounts } from './drift/bins';
import { PROBABILITY_BINS, probabilityBin } from './quality/histogram';
import { categoryProfile, numericProfile, quantileEdges, type CategoryProfile, type NumericProfile } from './profile';
import type { CellValue, ColumnSpec } from './schema';

/**
 * What monitoring compares live traffic with: the training features and the test predictions.
 * Since the monitoring buckets, numeric histograms have REFERENCE_BINS quantile bins with a sum per
 * bin (`histogram.sums`), categories list up to REFERENCE_CATEGORIES values, and a binary model's
 * prediction histogram has PROBABILITY_BINS equal-width bins. Older bundles have decile bins, no
 * sums, 20 categories and probability deciles: monitoring still reads them (see src/monitoring/buckets).
 */
export interface ReferenceProfile {
  rows: number;
  features: { name: string; type: ColumnSpec['type']; profile: NumericProfile | CategoryProfile }[];
  /** Distribution of the model output on the test part (positive-class probability or value). */
  prediction: NumericProfile;
  /**
   * A multiclass model's predicted classes on the test part (bundles since issue #20's prediction
   * drift; older ones have none, and their output gets no drift verdict).
   */
  predictedClasses?: CategoryProfile;
}

/**
 * Quantile bins of numbers in the reference. 20 rather than deciles: measured on credit_data
 * (docs/benchmarks.md, "Monitoring buckets"), it takes the binned KS shortfall where one value
 * fills several deciles from 0.84 to 0.09; 50 bins gain little more for 2.5× the bucket size.
 */
export const REFERENCE_BINS = 20;
/** Categories listed per feature: as many as preprocessing gives one-hot slots (its maxCategories). */
export const REFERENCE_CATEGORIES = 100;

/** The distinct values of a sorted array, or null when there are more than `max`. */
function fewValues(sorted: Float64Array, max: number): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) continue;
    if (out.length === max) return null;
    out.push(sorted[i]);
  }
  return out;
}

/**
 * Numbers get quantile edges from the data itself, so bins hold about the same share of training
 * rows, and Σ per bin. A column with at most `bins` distinct values (two or more) instead gets
 * edges halfway between neighbouring values, so each value has a bin of its own and the bins count
 * values: what drift needs to test such a column as a category, as Evidently does up to 5 values
 * (src/ml/drift/verdict.ts, `selectDriftMethod`); the values are kept in `values`.
 */
export function numericWithQuantileBins(values: (number | null)[], bins = REFERENCE_BINS): NumericProfile {
  const sorted = Float64Array.from(values.filter((v): v is number => v !== null)).sort();
  const distinct = fewValues(sorted, bins);
  const few = distinct !== null && distinct.length >= 2 ? distinct : null;
  const edges = few
    ? [few[0], ...few.slice(1).map((v, i) => (few[i] + v) / 2), few[few.length - 1]]
    : quantileEdges(sorted, bins);
  const profile = numericProfile(values, edges);
  if (few) profile.values = few;
  if (profile.histogram)
    profile.histogram.sums = Array.from(binCounts(sorted, profile.histogram.edges, { sums: true }).sums!);
  return profile;
}

/** Positive-class probabilities on PROBABILITY_BINS equal-width bins, counted as the buckets count them. */
export function probabilityProfile(values: number[]): NumericProfile {
  const profile = numericProfile(values);
  const counts = new Array<number>(PROBABILITY_BINS).fill(0);
  const sums = new Array<number>(PROBABILITY_BINS).fill(0);
  for (const p of values) {
    const b = probabilityBin(p);
    counts[b]++;
    sums[b] += p;
  }
  const edges = Array.from({ length: PROBABILITY_BINS + 1 }, (_, i) => i / PROBABILITY_BINS);
  profile.histogram = { edges, counts, sums, below: 0, above: 0 };
  return profile;
}

export function buildReferenceProfile(
  features: ReadonlyArray<ColumnSpec>,
  records: ReadonlyArray<Readonly<Record<string, CellValue>>>,
  predictions: ArrayLike<number>,
  probabilities: boolean,
  predictedClasses?: ReadonlyArray<string>,
): ReferenceProfile {
  const value = (r: Readonly<Record<string, CellValue>>, name: string) =>
    Object.hasOwn(r, name) ? (r[name] ?? null) : null;
  return {
    rows: records.length,
    features: features
      .filter((c) => c.type !== 'text')
      .map((c) => {
        const values = records.map((r) => value(r, c.name));
        const profile =
          c.type === 'number' || c.type === 'integer'
            ? numericWithQuantileBins(values as (number | null)[])
            : categoryProfile(
                values.map((v) => (v === null ? null : String(v))),
                REFERENCE_CATEGORIES,
              );
        return { name: c.name, type: c.type, profile };
      }),
    prediction: probabilities
      ? probabilityProfile(Array.from(predictions))
      : numericWithQuantileBins(Array.from(predictions)),
    ...(predictedClasses ? { predictedClasses: categoryProfile(predictedClasses, REFERENCE_CATEGORIES) } : {}),
  };
}
