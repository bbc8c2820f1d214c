/**
 * Category statistics on frequency counts, as Evidently computes them (its legacy stattests):
 * chi-squared goodness of fit of the current counts against the reference proportions, the
 * two-proportion z-test for two values, the Jensen–Shannon distance (scipy.spatial.distance.
 * jensenshannon with Evidently's base, e: natural log, so the maximum is √ln 2 ≈ 0.833), and
 * the values the reference never saw.
 */
import gammainc from '@stdlib/math-base-special-gammainc';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

export interface AlignedCounts {
  keys: string[];
  reference: Float64Array;
  current: Float64Array;
}

/** The union of the values seen on either side (count > 0), in one order for both. */
export function alignCounts(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
): AlignedCounts {
  const keys: string[] = [];
  for (const [k, c] of reference) if (c > 0) keys.push(k);
  for (const [k, c] of current) if (c > 0 && !((reference.get(k) ?? 0) > 0)) keys.push(k);
  const r = new Float64Array(keys.length);
  const q = new Float64Array(keys.length);
  keys.forEach((k, i) => {
    r[i] = reference.get(k) ?? 0;
    q[i] = current.get(k) ?? 0;
  });
  return { keys, reference: r, current: q };
}

function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
}

/** x·ln(x/y) with scipy.special.rel_entr's conventions for zeros. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/** √(JS divergence) of two count or probability vectors (normalised here), log base `base` (default e). */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>, base = Math.E): number {
  if (p.length !== q.length) throw new Error('Jensen–Shannon needs vectors of one length');
  const sp = sum(p);
  const sq = sum(q);
  if (!(sp > 0 && sq > 0)) return NaN;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const m = (a + b) / 2;
    js += relEntr(a, m) + relEntr(b, m);
  }
  // Rounding can leave a tiny negative divergence for identical inputs; the distance is then 0.
  return Math.sqrt(Math.max(js / Math.log(base) / 2, 0));
}

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

/**
 * Evidently's chi-squared test: expected = reference counts × (current total / reference total),
 * statistic Σ (o − e)²/e over the union of values, k − 1 degrees of freedom (scipy.stats.chisquare).
 * A value absent from the reference has e = 0: the statistic is infinite and p = 0. One value
 * only: no degree of freedom, p = NaN (scipy's answer too).
 */
export function chiSquareTest(reference: ArrayLike<number>, current: ArrayLike<number>): ChiSquareResult {
  const nr = sum(reference);
  const nc = sum(current);
  const dof = reference.length - 1;
  if (!(nr > 0 && nc > 0)) return { statistic: NaN, pValue: NaN, dof };
  let stat = 0;
  for (let i = 0; i < reference.length; i++) {
    const e = (reference[i] * nc) / nr;
    const d = current[i] - e;
    stat += e === 0 ? (d === 0 ? NaN : Infinity) : (d * d) / e;
  }
  return { statistic: stat, pValue: chiSquareSf(stat, dof), dof };
}

/** P(χ²_k ≥ x) as the regularised upper incomplete gamma Q(k/2, x/2): precise for tiny p, unlike 1 − CDF. */
export function chiSquareSf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return NaN;
  if (x === Infinity) return 0;
  if (x <= 0) return 1;
  return gammainc(x / 2, k / 2, true, true);
}

/**
 * Evidently's z-test for two values: the share of the second value in reference and current,
 * pooled standard error, two-sided normal p-value. p = 1 when both sides hold one same value.
 * Takes aligned counts of at most two values.
 */
export function proportionZTest(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  if (reference.length > 2) throw new Error('the z-test compares two values; use chi-squared for more');
  const r1 = reference.length === 2 ? reference[1] : 0;
  const c1 = current.length === 2 ? current[1] : 0;
  const n1 = sum(reference);
  const n2 = sum(current);
  if (!(n1 > 0 && n2 > 0)) return NaN;
  if ((r1 === 0 && c1 === 0) || (r1 === n1 && c1 === n2)) return 1;
  const p1 = r1 / n1;
  const p2 = c1 / n2;
  const pooled = (r1 + c1) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return 2 * normalCdf(-Math.abs(z), 0, 1);
}

export interface UnseenCategories {
  /** Rows of the current window whose value the reference does not know. */
  rows: number;
  /** Those values, most frequent first. */
  values: { value: string; count: number }[];
}

export function unseenCategories(
  known: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  current: ReadonlyMap<string, number>,
): UnseenCategories {
  const values: { value: string; count: number }[] = [];
  let rows = 0;
  for (const [value, count] of current) {
    if (count > 0 && !known.has(value)) {
      values.push({ value, count });
      rows += count;
    }
  }
  values.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { rows, values };
}
