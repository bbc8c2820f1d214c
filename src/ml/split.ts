import { MlInputError } from './errors';
import { deriveSeed, mulberry32, shuffleInPlace } from './random';

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

export const DEFAULT_SPLIT: SplitFractions = { train: 0.7, validation: 0.1, test: 0.2 };

/** Row indices of each part, ascending (so the parts keep the dataset's row order). */
export interface SplitIndices {
  train: number[];
  validation: number[];
  test: number[];
}

/**
 * Deterministic split of `n` rows: same n, labels, fractions and seed → same parts. With
 * `labels` (classification) each class is split separately, so every part keeps the class mix.
 * The result depends on row order: callers must read rows in a stable order.
 */
export function splitIndices(
  n: number,
  seed: number,
  fractions: SplitFractions = DEFAULT_SPLIT,
  labels?: ReadonlyArray<string | number>,
): SplitIndices {
  const { train, validation, test } = fractions;
  if ([train, validation, test].some((f) => !(f > 0 && f < 1)) || Math.abs(train + validation + test - 1) > 1e-9) {
    throw new MlInputError('split', 'fractions must each be in (0, 1) and sum to 1');
  }
  if (labels && labels.length !== n) throw new MlInputError('split', 'one label per row is required');
  const groups = new Map<string | number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = labels ? labels[i] : 0;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  const rng = mulberry32(deriveSeed(seed, 'split'));
  const out: SplitIndices = { train: [], validation: [], test: [] };
  // Groups in sorted key order: the Map's insertion order would depend on which class comes first.
  const keys = [...groups.keys()].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  for (const key of keys) {
    const idx = shuffleInPlace(groups.get(key)!, rng);
    const nTest = Math.round(idx.length * test);
    const nVal = Math.round(idx.length * validation);
    out.test.push(...idx.slice(0, nTest));
    out.validation.push(...idx.slice(nTest, nTest + nVal));
    out.train.push(...idx.slice(nTest + nVal));
  }
  const asc = (a: number, b: number) => a - b;
  out.train.sort(asc);
  out.validation.sort(asc);
  out.test.sort(asc);
  return out;
}
