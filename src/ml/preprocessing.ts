import { percentileCont } from './profile';
import type { CellValue, ColumnSpec } from './schema';

/**
 * Turns typed records into a dense feature matrix. Fitted on the training part only; the
 * parameters are plain JSON and travel in the model bundle, so serving encodes exactly as
 * training did. Records are read by column name: key order never matters.
 */
export const UNKNOWN_SLOT = '__unknown__';
export const MISSING_SLOT = '__missing__';

export type FeatureParams =
  | {
      name: string;
      kind: 'numeric';
      log: boolean;
      median: number;
      mean: number;
      std: number;
      indicator: boolean;
    }
  | { name: string; kind: 'boolean'; fill: number; indicator: boolean }
  | { name: string; kind: 'category'; categories: string[]; missingSlot: boolean };

export interface PreprocessingParams {
  features: FeatureParams[];
  /** Column names of the output matrix, in order. */
  featureNames: string[];
}

export interface PreprocessingOptions {
  /** Add a 0/1 "was missing" column for features with missing values in training (default true). */
  missingIndicators?: boolean;
  /** Keep at most this many categories (most frequent); the rest go to the unknown slot (default 100). */
  maxCategories?: number;
  /** log1p non-negative columns whose training skewness exceeds this (default 2; Infinity = never). */
  logSkewThreshold?: number;
}

/** Sample skewness (population moments); 0 for a constant column. */
function skewness(xs: ArrayLike<number>): number {
  const n = xs.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i];
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  return m2 === 0 ? 0 : m3 / n / (m2 / n) ** 1.5;
}

type Rec = Readonly<Record<string, CellValue | undefined>>;

// hasOwn: a feature called "constructor" must not read Object.prototype.constructor.
function get(rec: Rec, name: string): CellValue {
  return Object.hasOwn(rec, name) ? (rec[name] ?? null) : null;
}

/** Text columns are not features of this model family and are skipped. */
export function fitPreprocessing(
  records: ReadonlyArray<Rec>,
  columns: ReadonlyArray<ColumnSpec>,
  options: PreprocessingOptions = {},
): PreprocessingParams {
  const indicators = options.missingIndicators ?? true;
  const maxCategories = options.maxCategories ?? 100;
  const features: FeatureParams[] = [];
  for (const col of columns) {
    const values = records.map((r) => get(r, col.name));
    const present = values.filter((v) => v !== null);
    const hasMissing = present.length < values.length;
    if (col.type === 'number' || col.type === 'integer') {
      const rawXs = Float64Array.from(present.filter((v): v is number => typeof v === 'number')).sort();
      // Heavy right tails (incomes, balances) would squash the bulk of the values after scaling.
      const log = rawXs.length > 0 && rawXs[0] >= 0 && skewness(rawXs) > (options.logSkewThreshold ?? 2);
      const xs = log ? rawXs.map(Math.log1p) : rawXs;
      const n = xs.length;
      const mean = n ? xs.reduce((a, b) => a + b, 0) / n : 0;
      const variance = n ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n : 0;
      // A constant column gets std 1: it encodes to a constant instead of dividing by zero.
      const std = variance > 0 ? Math.sqrt(variance) : 1;
      features.push({
        name: col.name,
        kind: 'numeric',
        log,
        median: n ? percentileCont(xs, 0.5) : 0,
        mean,
        std,
        indicator: indicators && hasMissing,
      });
    } else if (col.type === 'boolean') {
      const ones = present.filter((v) => v === true).length;
      features.push({
        name: col.name,
        kind: 'boolean',
        fill: present.length ? ones / present.length : 0,
        indicator: indicators && hasMissing,
      });
    } else if (col.type === 'category') {
      const freq = new Map<string, number>();
      for (const v of present) freq.set(String(v), (freq.get(String(v)) ?? 0) + 1);
      const kept = [...freq]
        .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
        .slice(0, maxCategories)
        .map(([v]) => v)
        .sort(cmp);
      features.push({
        name: col.name,
        kind: 'category',
        categories: kept,
        missingSlot: col.nullable || hasMissing,
      });
    }
  }
  return { features, featureNames: features.flatMap(outputNames) };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function outputNames(f: FeatureParams): string[] {
  switch (f.kind) {
    case 'numeric':
    case 'boolean':
      return f.indicator ? [f.name, `${f.name}=${MISSING_SLOT}`] : [f.name];
    case 'category':
      return [...f.categories, UNKNOWN_SLOT, ...(f.missingSlot ? [MISSING_SLOT] : [])].map((c) => `${f.name}=${c}`);
  }
}

export function outputWidth(params: PreprocessingParams): number {
  return params.featureNames.length;
}

/**
 * Per category feature: value → slot offset (a Map, so any category string is safe). Cached per
 * params object: serving encodes one small batch at a time with the same params.
 */
const indexCache = new WeakMap<PreprocessingParams, Map<string, Map<string, number>>>();
function categoryIndex(params: PreprocessingParams): Map<string, Map<string, number>> {
  let out = indexCache.get(params);
  if (!out) {
    out = new Map();
    for (const f of params.features) {
      if (f.kind === 'category') out.set(f.name, new Map(f.categories.map((c, i) => [c, i])));
    }
    indexCache.set(params, out);
  }
  return out;
}

/**
 * Encodes records into a row-major Float32Array (records.length × featureNames.length).
 * Numbers: (x − mean) / std (x → log1p(x) first on skewed columns), missing → median (+ indicator). Booleans: 0/1, missing → training
 * share of true. Categories: one-hot over training categories + unknown (+ missing) slot.
 */
export function transform(params: PreprocessingParams, records: ReadonlyArray<Rec>): Float32Array {
  const width = outputWidth(params);
  const out = new Float32Array(records.length * width);
  const cats = categoryIndex(params);
  records.forEach((rec, i) => {
    let j = i * width;
    for (const f of params.features) {
      const v = get(rec, f.name);
      if (f.kind === 'numeric') {
        const x = typeof v === 'number' && Number.isFinite(v) ? v : null;
        // A negative value on a log column (never seen in training) is clamped to log1p(0) = 0.
        const t = x === null ? f.median : f.log ? Math.log1p(Math.max(0, x)) : x;
        out[j++] = (t - f.mean) / f.std;
        if (f.indicator) out[j++] = x === null ? 1 : 0;
      } else if (f.kind === 'boolean') {
        out[j++] = typeof v === 'boolean' ? Number(v) : f.fill;
        if (f.indicator) out[j++] = typeof v === 'boolean' ? 0 : 1;
      } else {
        const k = f.categories.length;
        const slot = v === null ? (f.missingSlot ? k + 1 : k) : (cats.get(f.name)!.get(String(v)) ?? k);
        out[j + slot] = 1;
        j += k + 1 + (f.missingSlot ? 1 : 0);
      }
    }
  });
  return out;
}

/** Whether a category value falls into the unknown slot (for per-feature unknown counts). */
export function isUnknownCategory(params: PreprocessingParams, feature: string, value: CellValue): boolean {
  const slots = categoryIndex(params).get(feature);
  return slots !== undefined && value !== null && !slots.has(String(value));
}
