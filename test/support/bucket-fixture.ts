/** Bundle metadata for the bucket specs: credit_data's reference profile and preprocessing, no network. */
import { loadShipped } from './shipped-data';
import {
  categoryProfile,
  fitPreprocessing,
  mulberry32,
  shuffleInPlace,
  numericProfile,
  quantileEdges,
  type BundleMeta,
  type CellValue,
  type ColumnSpec,
  type ReferenceProfile,
} from '../../src/ml';
import { buildReferenceProfile } from '../../src/ml/reference-profile';
import type { Prediction } from '../../src/inference';

const SEED = 7;

export type Values = Record<string, CellValue>;

/** The reference profile as bundles made it before the buckets: decile bins without sums, 20 categories, probability deciles. */
function olderProfile(features: ColumnSpec[], records: Values[], probabilities: number[]): ReferenceProfile {
  const deciles = (xs: (number | null)[]) =>
    numericProfile(xs, quantileEdges(Float64Array.from(xs.filter((v): v is number => v !== null)).sort(), 10));
  return {
    rows: records.length,
    features: features.map((c) => {
      const values = records.map((r) => r[c.name] ?? null);
      const profile =
        c.type === 'number' || c.type === 'integer'
          ? deciles(values as (number | null)[])
          : categoryProfile(values.map((v) => (v === null ? null : String(v))));
      return { name: c.name, type: c.type, profile };
    }),
    prediction: numericProfile(probabilities, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]),
  };
}

export function creditMeta(rows = 1500, older = false): { meta: BundleMeta; records: Values[]; rest: Values[] } {
  const data = loadShipped('credit_data.csv');
  const features = data.schema.columns.filter((c) => c.name !== 'Status');
  const strip = (r: Values) => Object.fromEntries(features.map((c) => [c.name, r[c.name] ?? null]));
  // Shuffled (seeded): the file is not in random order (its first rows' Income and Expenses differ).
  const all = data.records.map(strip);
  shuffleInPlace(all, mulberry32(SEED));
  const records = all.slice(0, rows);
  const rest = all.slice(rows);
  const probabilities = records.map((_, i) => (i % 97) / 96);
  const meta = {
    signature: {
      features,
      target: { name: 'Status', type: 'category', task: 'binary', classes: ['bad', 'good'], positiveClass: 'good' },
    },
    preprocessing: fitPreprocessing(records, features),
    target: { name: 'Status', task: 'binary', classes: ['bad', 'good'], positiveClass: 'good' },
    referenceProfile: older
      ? olderProfile(features, records, probabilities)
      : buildReferenceProfile(features, records, probabilities, true),
  } as unknown as BundleMeta;
  return { meta, records, rest };
}

/** A binary output whose positive-class probability is `p`. */
export function output(p: number): Prediction {
  return { ok: true, label: p >= 0.5 ? 'good' : 'bad', probabilities: { bad: 1 - p, good: p } };
}
