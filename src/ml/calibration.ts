/**
 * Probability calibration: a monotone map from the model's raw probability to a calibrated one,
 * fitted on the validation split (never on the training part: the network's own fit would bias
 * it). Binary: one map of the positive-class probability. Multiclass: one-vs-rest maps, one per
 * class; a full row is renormalised after mapping (`calibrateRow`).
 */
type Nums = ArrayLike<number>;

/** Platt (1999): calibrated = σ(slope · logit(p) + intercept). */
export interface PlattMap {
  method: 'platt';
  slope: number;
  intercept: number;
}

/**
 * Isotonic regression (PAVA), as scikit-learn's `IsotonicRegression(out_of_bounds='clip')`:
 * linear interpolation between the thresholds, constant beyond the first and last one.
 */
export interface IsotonicMap {
  method: 'isotonic';
  x: number[];
  y: number[];
}

export type CalibrationMap = PlattMap | IsotonicMap;
export type CalibrationMethod = CalibrationMap['method'];

/** Isotonic needs enough rows not to overfit; below this, Platt's two parameters (sklearn's advice: "<<1000"). */
export const ISOTONIC_MIN_ROWS = 1000;
/** Guo et al. (2017) use 15 equal-width bins. */
export const ECE_BINS = 15;
/** Probabilities are clipped to [ε, 1 − ε] before the logit (float32 sigmoids reach exactly 0 and 1). */
const LOGIT_EPS = 1e-7;

const clip = (p: number) => Math.min(1 - LOGIT_EPS, Math.max(LOGIT_EPS, p));
const logit = (p: number) => Math.log(clip(p) / (1 - clip(p)));
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Platt scaling with Platt's smoothed targets ((N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2)), which keep the
 * fit finite on separable or one-class data; maximum likelihood by Newton's method (the loss is
 * convex in two parameters), halving the step while the loss does not fall.
 */
export function fitPlatt(p: Nums, y: Nums): PlattMap {
  const n = p.length;
  let n1 = 0;
  for (let i = 0; i < n; i++) if (y[i] === 1) n1++;
  const hi = (n1 + 1) / (n1 + 2);
  const lo = 1 / (n - n1 + 2);
  const f = Float64Array.from(p, logit);
  const t = Float64Array.from({ length: n }, (_, i) => (y[i] === 1 ? hi : lo));
  const loss = (a: number, b: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = a * f[i] + b;
      // −[t log σ(z) + (1 − t) log(1 − σ(z))] = log(1 + e^z) − t z, computed stably
      s += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - t[i] * z;
    }
    return s;
  };
  let a = 0;
  let b = logit((n1 + 1) / (n + 2));
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const q = sigmoid(a * f[i] + b);
      const r = q - t[i];
      const w = q * (1 - q);
      ga += r * f[i];
      gb += r;
      haa += w * f[i] * f[i];
      hab += w * f[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    let next = loss(a - da, b - db);
    for (let k = 0; k < 30 && next > current; k++) {
      da /= 2;
      db /= 2;
      next = loss(a - da, b - db);
    }
    if (next > current) break;
    a -= da;
    b -= db;
    current = next;
    if (Math.max(Math.abs(da), Math.abs(db)) < 1e-13) break;
  }
  return { method: 'platt', slope: a, intercept: b };
}

/**
 * Isotonic regression of y on p, as scikit-learn: tied p are merged first (mean y, weight = count),
 * then pool-adjacent-violators, then interior points of a constant run are dropped.
 */
export function fitIsotonic(p: Nums, y: Nums): IsotonicMap {
  const order = Array.from({ length: p.length }, (_, i) => i).sort((i, j) => p[i] - p[j]);
  const xs: number[] = [];
  const sums: number[] = [];
  const weights: number[] = [];
  for (const i of order) {
    if (xs.length && xs[xs.length - 1] === p[i]) {
      sums[sums.length - 1] += y[i];
      weights[weights.length - 1]++;
    } else {
      xs.push(p[i]);
      sums.push(y[i]);
      weights.push(1);
    }
  }
  // PAVA over blocks: each block holds a weighted mean and the index range it covers.
  const blocks: { mean: number; weight: number; end: number }[] = [];
  for (let i = 0; i < xs.length; i++) {
    let block = { mean: sums[i] / weights[i], weight: weights[i], end: i };
    while (blocks.length && blocks[blocks.length - 1].mean >= block.mean) {
      const prev = blocks.pop()!;
      const weight = prev.weight + block.weight;
      block = { mean: (prev.mean * prev.weight + block.mean * block.weight) / weight, weight, end: block.end };
    }
    blocks.push(block);
  }
  const fitted = new Array<number>(xs.length);
  let start = 0;
  for (const block of blocks) {
    for (let i = start; i <= block.end; i++) fitted[i] = block.mean;
    start = block.end + 1;
  }
  const keep = fitted.map((v, i) => i === 0 || i === fitted.length - 1 || v !== fitted[i - 1] || v !== fitted[i + 1]);
  return { method: 'isotonic', x: xs.filter((_, i) => keep[i]), y: fitted.filter((_, i) => keep[i]) };
}

/** The calibrated probability of one raw probability. */
export function calibrate(map: CalibrationMap, p: number): number {
  if (map.method === 'platt') return sigmoid(map.slope * logit(p) + map.intercept);
  const { x, y } = map;
  if (p <= x[0]) return y[0];
  if (p >= x[x.length - 1]) return y[y.length - 1];
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= p) lo = mid;
    else hi = mid;
  }
  return y[lo] + ((p - x[lo]) * (y[hi] - y[lo])) / (x[hi] - x[lo]);
}

/** A multiclass row (one probability per class) mapped class by class, then renormalised to sum to 1. */
export function calibrateRow(maps: ReadonlyArray<CalibrationMap>, row: Nums): Float64Array {
  const out = Float64Array.from(maps, (m, c) => calibrate(m, row[c]));
  const total = out.reduce((a, b) => a + b, 0);
  // All maps at 0 cannot be renormalised: keep the raw row rather than invent one.
  if (!(total > 0)) return Float64Array.from(row);
  return out.map((v) => v / total);
}

export function fitCalibrationMap(p: Nums, y: Nums, method: CalibrationMethod): CalibrationMap {
  return method === 'isotonic' ? fitIsotonic(p, y) : fitPlatt(p, y);
}

/** Isotonic from `ISOTONIC_MIN_ROWS` validation rows on, Platt below. */
export function chooseCalibrationMethod(rows: number): CalibrationMethod {
  return rows >= ISOTONIC_MIN_ROWS ? 'isotonic' : 'platt';
}

/**
 * Expected calibration error (Guo et al. 2017) of the probability `p` of a binary event `y`:
 * Σ_b (n_b / n) · |mean(y) − mean(p)| over `bins` equal-width bins ((m−1)/M, m/M], 0 in the first.
 * NaN for an empty input.
 */
export function expectedCalibrationError(y: Nums, p: Nums, bins = ECE_BINS): number {
  const n = p.length;
  if (n === 0) return NaN;
  const count = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(p[i] * bins) - 1));
    count[b]++;
    sumY[b] += y[i];
    sumP[b] += p[i];
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += Math.abs(sumY[b] - sumP[b]) / n;
  return ece;
}

/** Top-label ECE of a multiclass output (Guo et al.): the event is "the argmax is right", p its probability. */
export function topLabelCalibrationError(y: Nums, probs: Nums, k: number, bins = ECE_BINS): number {
  const n = y.length;
  const correct = new Float64Array(n);
  const confidence = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let arg = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + arg]) arg = c;
    correct[i] = arg === y[i] ? 1 : 0;
    confidence[i] = probs[i * k + arg];
  }
  return expectedCalibrationError(correct, confidence, bins);
}
