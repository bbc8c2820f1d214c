import { categoryProfile, numericProfile, quantileEdges, type CategoryProfile, type NumericProfile } from './profile';
import type { CellValue, ColumnSpec } from './schema';

/** What monitoring compares live traffic with: the training features and the test predictions. */
export interface ReferenceProfile {
  rows: number;
  features: { name: string; type: ColumnSpec['type']; profile: NumericProfile | CategoryProfile }[];
  /** Distribution of the model output on the test part (positive-class probability or value). */
  prediction: NumericProfile;
}

const PROBABILITY_EDGES = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** Numbers get decile edges from the data itself, so PSI bins hold ~10% of training rows each. */
export function numericWithDeciles(values: (number | null)[]): NumericProfile {
  const sorted = Float64Array.from(values.filter((v): v is number => v !== null)).sort();
  return numericProfile(values, quantileEdges(sorted, 10));
}

export function buildReferenceProfile(
  features: ReadonlyArray<ColumnSpec>,
  records: ReadonlyArray<Readonly<Record<string, CellValue>>>,
  predictions: ArrayLike<number>,
  probabilities: boolean,
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
            ? numericWithDeciles(values as (number | null)[])
            : categoryProfile(values.map((v) => (v === null ? null : String(v))));
        return { name: c.name, type: c.type, profile };
      }),
    prediction: probabilities
      ? numericProfile(Array.from(predictions), PROBABILITY_EDGES)
      : numericWithDeciles(Array.from(predictions)),
  };
}
