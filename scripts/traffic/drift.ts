import { mulberry32 } from '../../src/ml/random';
import type { Features, NumericStats } from './rows';
import { isNumeric, type FeatureSpec } from './signature';

/** How `--drift` changes a row. */
export interface DriftSpec {
  /** Numeric features move up by this many standard deviations of the shipped data. */
  shiftSd: number;
  /** Share of category values replaced with unseen ones. */
  unseenShare: number;
  /** How many distinct unseen values per feature (the buckets keep 20 by name). */
  unseenValues: number;
}

/**
 * Far enough that every shifted feature drifts on a window of a hundred rows with any of the
 * monitoring's tests, and a quarter unseen is well above any sane unknown-category rule.
 */
export const DEFAULT_DRIFT: DriftSpec = { shiftSd: 1.5, unseenShare: 0.25, unseenValues: 3 };

/** An unseen value of a category feature: never one of its training categories. */
export function unseenValue(f: FeatureSpec, k: number): string {
  let value = `unseen-${f.name.toLowerCase()}-${k}`;
  while (f.categories?.includes(value)) value += '_';
  return value;
}

/**
 * The drift transform: numeric features shifted (integers stay integers, missing stays missing),
 * a share of category values replaced with unseen ones; booleans and text untouched.
 */
export function drifter(
  features: FeatureSpec[],
  stats: Record<string, NumericStats>,
  spec: DriftSpec = DEFAULT_DRIFT,
  seed = 1,
): (row: Features) => Features {
  const rng = mulberry32(seed);
  const shift = new Map(features.filter(isNumeric).map((f) => [f.name, spec.shiftSd * (stats[f.name]?.sd ?? 0)]));
  return (row) => {
    const out: Features = { ...row };
    for (const f of features) {
      const value = row[f.name];
      if (value === null || value === undefined) continue;
      if (typeof value === 'number' && shift.has(f.name)) {
        const moved = value + shift.get(f.name)!;
        out[f.name] = f.kind === 'integer' ? Math.round(moved) : moved;
      } else if (f.kind === 'category' && rng() < spec.unseenShare) {
        out[f.name] = unseenValue(f, 1 + Math.floor(rng() * spec.unseenValues));
      }
    }
    return out;
  };
}
