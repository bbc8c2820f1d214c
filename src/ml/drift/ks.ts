/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, as scipy.stats.ks_2samp(method='auto'): the exact
 * p-value when both samples hold at most 10,000 values, else the asymptotic one, P(D_N ≥ d) of the
 * one-sample distribution with N = round(n₁n₂/(n₁+n₂)). The exact path is scipy's (Hodges 1958,
 * in Viehmann's 2021 form that computes 1 − p directly); no npm package has it. Where the exact
 * computation fails numerically scipy falls back to the asymptotic value, and so does this.
 */
import { ksStatistic } from '../profile';
import { kolmogorovSf } from './kolmogorov';
import { binTotal, type BinCounts } from './bins';

export type KsMethod = 'exact' | 'asymp';
export interface KsResult {
  statistic: number;
  pValue: number;
  method: KsMethod;
}

/** scipy's MAX_AUTO_N: above it 'auto' takes the asymptotic p-value. */
export const KS_EXACT_MAX_N = 10000;

/** Two-sided test on raw samples; NaN statistic and p-value when a sample is empty (scipy raises). */
export function ksTest(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  return withPValue(ksStatistic(a, b), a.length, b.length);
}

/**
 * The test on binned samples that share `edges`: D is the largest ECDF gap at the bin boundaries,
 * so it never exceeds the exact D (left-closed bins: each boundary is an exact ECDF left limit)
 * and binning can miss drift but never invent it. Per-bin sums are not used: modelling the values
 * inside a bin made D overshoot on discrete columns (false drift on undrifted credit_data).
 * How far below the exact D it falls is measured in binned.spec.ts.
 */
export function binnedKsTest(reference: BinCounts, current: BinCounts): KsResult {
  const k = reference.counts.length;
  if (current.counts.length !== k) throw new Error('binned KS needs the same bins on both sides');
  const nr = binTotal(reference);
  const nc = binTotal(current);
  if (nr === 0 || nc === 0) return { statistic: NaN, pValue: NaN, method: ksMethod(nr, nc) };
  let cr = reference.below;
  let cc = current.below;
  let d = Math.abs(cr / nr - cc / nc);
  for (let i = 0; i < k; i++) {
    cr += reference.counts[i];
    cc += current.counts[i];
    d = Math.max(d, Math.abs(cr / nr - cc / nc));
  }
  return withPValue(d, nr, nc);
}

function withPValue(d: number, n1: number, n2: number): KsResult {
  const method = ksMethod(n1, n2);
  return { statistic: d, pValue: ksPValue(d, n1, n2, method), method };
}

export function ksMethod(n1: number, n2: number): KsMethod {
  return Math.max(n1, n2) <= KS_EXACT_MAX_N ? 'exact' : 'asymp';
}

/** Two-sided p-value of the statistic `d` for sample sizes n1, n2. */
export function ksPValue(d: number, n1: number, n2: number, method: KsMethod = ksMethod(n1, n2)): number {
  if (!(n1 > 0 && n2 > 0) || Number.isNaN(d)) return NaN;
  if (method === 'exact') {
    const p = exactPValue(d, n1, n2);
    if (p !== null) return p;
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  return kolmogorovSf(roundHalfEven((m * n) / (m + n)), d);
}

/** numpy's round: ties to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** scipy's _attempt_exact_2kssamp, two-sided: null where the computation is not a probability. */
function exactPValue(d: number, n1: number, n2: number): number | null {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  if (h === 0) return 1;
  const p = n1 === n2 ? outsideSquare(n1, h) : outsideInsideMethod(n1, n2, g, h);
  return p >= 0 && p <= 1 ? p : null;
}

/** Equal sizes: P(D ≥ h/n) = 2 Σ_k (−1)^(k+1) C(2n, n − kh)/C(2n, n), in Horner form. */
function outsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * The share of lattice paths from (0,0) to (m,n) that leave the band |x/m − y/n| < h/lcm, each
 * column normalised by C(i+j, j) so the values stay probabilities (scipy's
 * _compute_outer_prob_inside_method). One column and a sliding window of it are kept.
 */
function outsideInsideMethod(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const A = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}
