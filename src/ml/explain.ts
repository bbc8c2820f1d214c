import type { BundleMeta } from './bundle';
import type { CategoryProfile, NumericProfile } from './profile';
import type { CellValue } from './schema';

type Values = Record<string, CellValue>;

/**
 * "Replace one feature by its training reference" explanations. For a record x, a scalar model
 * output s (positive-class probability, probability of the predicted class, or the regression
 * value) and a reference record r (median of numbers, mode of categories and booleans):
 *   value = s(x), baseline = s(r), contributions[f] = s(x) − s(x with f := r_f),
 *   residual = value − baseline − Σ contributions.
 * The residual is 0 for an additive model; for a non-linear one (an MLP, a sigmoid output) it
 * holds the interactions, so the contributions do not sum exactly to value − baseline.
 */
export interface Explanation {
  value: number;
  baseline: number;
  contributions: Record<string, number>;
  residual: number;
}

/** The training reference record: medians (numbers), modes (categories, booleans). */
export function referenceRecord(meta: Pick<BundleMeta, 'signature' | 'preprocessing' | 'referenceProfile'>): Values {
  const profiles = new Map(meta.referenceProfile?.features.map((f) => [f.name, f.profile]) ?? []);
  const params = new Map(meta.preprocessing.features.map((f) => [f.name, f]));
  const out = Object.create(null) as Values;
  for (const col of meta.signature.features) {
    const profile = profiles.get(col.name);
    const p = params.get(col.name);
    let v: CellValue = null;
    if (col.type === 'number' || col.type === 'integer') {
      const median = (profile as NumericProfile | undefined)?.quantiles?.find((q) => q.p === 0.5)?.value;
      // The fitted median is in the encoded space (log1p for skewed columns): map it back.
      const fitted = p?.kind === 'numeric' ? (p.log ? Math.expm1(p.median) : p.median) : null;
      const m = median ?? fitted;
      v = m === null || m === undefined ? null : col.type === 'integer' ? Math.round(m) : m;
    } else if (col.type === 'boolean') {
      v = p?.kind === 'boolean' ? p.fill >= 0.5 : null;
    } else if (col.type === 'category') {
      v =
        (profile as CategoryProfile | undefined)?.top?.[0]?.value ??
        (p?.kind === 'category' ? (p.categories[0] ?? null) : null);
    }
    out[col.name] = v;
  }
  return out;
}

/**
 * Explains records in one scoring call: per record, the reference, the record itself and one
 * copy per feature with that feature replaced — n × (features + 2) rows. `score(rows, owner)`
 * returns the scalar output of each row; `owner[i]` is the record row i belongs to, so a caller
 * can score the class predicted for that record (multiclass).
 */
export function explainRecords(
  records: ReadonlyArray<Values>,
  reference: Values,
  features: ReadonlyArray<string>,
  score: (rows: Values[], owner: number[]) => ArrayLike<number>,
): Explanation[] {
  const rows: Values[] = [];
  const owner: number[] = [];
  records.forEach((x, i) => {
    rows.push(reference, x);
    owner.push(i, i);
    for (const f of features) {
      const copy = Object.assign(Object.create(null) as Values, x);
      copy[f] = reference[f] ?? null;
      rows.push(copy);
      owner.push(i);
    }
  });
  const s = score(rows, owner);
  const width = features.length + 2;
  return records.map((_, i) => {
    const base = i * width;
    const baseline = s[base];
    const value = s[base + 1];
    const contributions = Object.create(null) as Record<string, number>;
    let sum = 0;
    features.forEach((f, j) => {
      const c = value - s[base + 2 + j];
      contributions[f] = c;
      sum += c;
    });
    return { value, baseline, contributions: { ...contributions }, residual: value - baseline - sum };
  });
}
