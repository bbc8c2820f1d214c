/**
 * Data quality of a window against training, from counts. Missing rate over all rows; the
 * out-of-range and unknown-category rates over the rows that have a value (a missing value is
 * neither in nor out of range). A rate without rows to count is null, not 0.
 */
import type { BinCounts } from './bins';
import { binTotal } from './bins';

export interface NumericQuality {
  rows: number;
  missingRate: number | null;
  /** Share of present values outside the training [min, max] (the reference edges' ends). */
  outOfRangeRate: number | null;
}

export interface CategoryQuality {
  rows: number;
  missingRate: number | null;
  /** Share of present values the training data never had. */
  unknownRate: number | null;
}

const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** `bins` on the reference edges (min to max): below + above is what lies outside the training range. */
export function numericQuality(bins: BinCounts, missing: number): NumericQuality {
  const present = binTotal(bins);
  const rows = present + missing;
  return { rows, missingRate: rate(missing, rows), outOfRangeRate: rate(bins.below + bins.above, present) };
}

export function categoryQuality(present: number, missing: number, unknown: number): CategoryQuality {
  const rows = present + missing;
  return { rows, missingRate: rate(missing, rows), unknownRate: rate(unknown, present) };
}
