/**
 * The distribution of the one-sample two-sided Kolmogorov–Smirnov statistic D_n for finite n:
 * `kolmogorovSf(n, x)` = P(D_n ≥ x), as scipy.stats.kstwo.sf, which ks_2samp's asymptotic p-value
 * uses. No npm package exposes it (@stdlib/stats-kstest keeps its Marsaglia–Tsang–Wang code
 * internal), so it is written here, following scipy's scipy/stats/_ksstats.py and its choice of
 * method per region (Simard & L'Ecuyer 2011). One difference: for n ≤ 140 and 0.754693 < n·x² ≤ 4
 * scipy uses Pomeranz's recursion, here the Durbin matrix (both exact; agreement ~1e-12).
 */
import binomcoefln from '@stdlib/math-base-special-binomcoefln';
import factorialln from '@stdlib/math-base-special-factorialln';

const clip = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);

export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    // Ruben & Gambino: P(D_n ≤ x) = n!/nⁿ · (2t − 1)ⁿ for 1/2n ≤ x ≤ 1/n.
    return clip(1 - Math.exp(factorialln(n) - n * Math.log(n) + n * Math.log(2 * t - 1)));
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x)); // exact there: the two one-sided tails are disjoint
  const nxx = t * x;
  if (n <= 140) return clip(nxx <= 4 ? 1 - durbinCdf(n, x) : 2 * smirnovSf(n, x));
  if (nxx >= 370) return 0;
  if (nxx >= 2.2) return clip(2 * smirnovSf(n, x)); // Miller's approximation, error ~ p²
  const cdf = n <= 100000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}

/** One-sided P(D⁺_n ≥ d) by the Birnbaum–Tingey sum (scipy.special.smirnov), terms in logs. */
export function smirnovSf(n: number, d: number): number {
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const last = Math.floor(n * (1 - d));
  let s = 0;
  for (let j = 0; j <= last; j++) {
    const rest = 1 - d - j / n;
    if (rest <= 0) continue;
    s += Math.exp(binomcoefln(n, j) + (n - j) * Math.log(rest) + (j - 1) * Math.log(d + j / n));
  }
  return d * s;
}

const SCALE = 2 ** 128;

/** P(D_n ≤ d) by Durbin's matrix method as Marsaglia, Tsang & Wang (2003): a power of an m×m matrix, m = 2⌈nd⌉ − 1. */
function durbinCdf(n: number, d: number): number {
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac; // 1/(j−1)!
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac; // (1 − h^j)/j!
  }
  v[m - 1] = (1 + Math.max(2 * h - 1, 0) ** m - 2 * h ** m) * fac;
  let H = new Float64Array(m * m);
  for (let c = 1; c < m; c++) for (let r = c - 1; r < m; r++) H[r * m + c] = w[r - c + 1];
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];

  let P = new Float64Array(m * m);
  for (let i = 0; i < m; i++) P[i * m + i] = 1;
  let tmp = new Float64Array(m * m);
  let expP = 0;
  let expH = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2) {
      multiply(P, H, tmp, m);
      [P, tmp] = [tmp, P];
      expP += expH;
    }
    multiply(H, H, tmp, m);
    [H, tmp] = [tmp, H];
    expH *= 2;
    if (Math.abs(H[(k - 1) * m + k - 1]) > SCALE) {
      for (let i = 0; i < m * m; i++) H[i] /= SCALE;
      expH += 128;
    }
  }
  let p = P[(k - 1) * m + k - 1];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n; // × n!/nⁿ
    if (Math.abs(p) < 1 / SCALE) {
      p *= SCALE;
      expP -= 128;
    }
  }
  const half = Math.trunc(expP / 2);
  return p * 2 ** half * 2 ** (expP - half);
}

function multiply(a: Float64Array, b: Float64Array, out: Float64Array, m: number): void {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const x = a[i * m + l];
      if (x === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += x * b[l * m + j];
    }
  }
}

const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT2PI = Math.sqrt(2 * Math.PI);

/** Pelz & Good (1976): the Li-Chien/Korolyuk expansion K0 + K1/√n + K2/n + K3/n^1.5 in theta-function form. */
function pelzGoodCdf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0; // exp underflows: the CDF is 0 to double precision
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m2 = (2 * k - 1) ** 2;
    const qp = q ** (8 * k);
    K[0] = K[0] * qp + 1;
    K[1] = K[1] * qp + k1a + k1b * m2;
    K[2] = K[2] * qp + k2a + k2b * m2 + k2c * m2 * m2;
    K[3] = K[3] * qp + k3a + k3b * m2 + k3c * m2 * m2 + k3d * m2 * m2 * m2;
  }
  const div = [z, 6 * z4, 72 * z6 * z, 6480 * z4 * z6];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT2PI) / div[i];
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    const kpi = Math.PI * k;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] += (k2extra * PI2 * SQRT2PI) / (-36 * z2 * z);
  K[3] += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  return K[0] + K[1] / Math.sqrt(n) + K[2] / n + K[3] / n ** 1.5;
}
