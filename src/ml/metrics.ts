/**
 * Evaluation metrics. Binary inputs: `y` holds 1 for the positive class and 0 otherwise,
 * `p` the predicted probability of the positive class; a row is predicted positive when
 * p >= threshold. Undefined values (no positives, empty input...) are NaN, never a made-up 0.
 */
type Nums = ArrayLike<number>;

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export function confusionMatrix(y: Nums, p: Nums, threshold = 0.5): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < y.length; i++) {
    const predicted = p[i] >= threshold;
    if (y[i] === 1) {
      if (predicted) c.tp++;
      else c.fn++;
    } else if (predicted) c.fp++;
    else c.tn++;
  }
  return c;
}

const ratio = (a: number, b: number) => (b === 0 ? NaN : a / b);
export const accuracy = (c: Confusion) => ratio(c.tp + c.tn, c.tp + c.tn + c.fp + c.fn);
export const precision = (c: Confusion) => ratio(c.tp, c.tp + c.fp);
export const recall = (c: Confusion) => ratio(c.tp, c.tp + c.fn);
export const f1 = (c: Confusion) => ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);

/** Indices sorted by score, descending; stable so equal scores keep a defined order. */
function byScoreDesc(p: Nums): number[] {
  return Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
}

/** ROC AUC as the Mann–Whitney U statistic; tied scores get their average rank (a tie counts ½). */
export function rocAuc(y: Nums, p: Nums): number {
  const order = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && p[order[j + 1]] === p[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let k = i; k <= j; k++) {
      if (y[order[k]] !== 1) continue;
      rankSumPos += avgRank;
      nPos++;
    }
    i = j + 1;
  }
  const nNeg = y.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Average precision (area under the PR curve, step-wise): Σ (R_k − R_{k−1}) · P_k over distinct thresholds. */
export function averagePrecision(y: Nums, p: Nums): number {
  const order = byScoreDesc(p);
  let nPos = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) nPos++;
  if (nPos === 0) return NaN;
  let tp = 0;
  let seen = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let i = 0; i < order.length;) {
    // All rows with the same score cross the threshold together.
    let j = i;
    while (j < order.length && p[order[j]] === p[order[i]]) {
      if (y[order[j]] === 1) tp++;
      seen++;
      j++;
    }
    const r = tp / nPos;
    ap += (r - prevRecall) * (tp / seen);
    prevRecall = r;
    i = j;
  }
  return ap;
}

/** Mean binary cross-entropy; probabilities clipped to [eps, 1 − eps] so one confident miss is finite. */
export function logLoss(y: Nums, p: Nums, eps = 1e-7): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i]));
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return ratio(s, y.length);
}

export function brierScore(y: Nums, p: Nums): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i] - y[i]) ** 2;
  return ratio(s, y.length);
}

/** The threshold (one of the scores) with the highest F1; ties go to the higher threshold. */
export function bestF1Threshold(y: Nums, p: Nums): number {
  const order = byScoreDesc(p);
  let nPos = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) nPos++;
  let tp = 0;
  let seen = 0;
  let best = { f1: -1, threshold: 0.5 };
  for (let i = 0; i < order.length;) {
    let j = i;
    for (; j < order.length && p[order[j]] === p[order[i]]; j++, seen++) if (y[order[j]] === 1) tp++;
    const f = (2 * tp) / (seen + nPos); // 2TP / (2TP + FP + FN), with TP + FP = seen
    if (f > best.f1) best = { f1: f, threshold: p[order[i]] };
    i = j;
  }
  return best.threshold;
}

export interface BinaryMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
  prAuc: number;
  logLoss: number;
  brier: number;
  threshold: number;
  confusion: Confusion;
  n: number;
}

export function binaryMetrics(y: Nums, p: Nums, threshold = 0.5): BinaryMetrics {
  const c = confusionMatrix(y, p, threshold);
  return {
    accuracy: accuracy(c),
    precision: precision(c),
    recall: recall(c),
    f1: f1(c),
    rocAuc: rocAuc(y, p),
    prAuc: averagePrecision(y, p),
    logLoss: logLoss(y, p),
    brier: brierScore(y, p),
    threshold,
    confusion: c,
    n: y.length,
  };
}

export interface MulticlassMetrics {
  accuracy: number;
  macroF1: number;
  logLoss: number;
  n: number;
}

/** `y` holds class indices, `probs` is row-major n × k. */
export function multiclassMetrics(y: Nums, probs: Nums, k: number, eps = 1e-7): MulticlassMetrics {
  const n = y.length;
  let correct = 0;
  let loss = 0;
  const tp = new Array<number>(k).fill(0);
  const predCount = new Array<number>(k).fill(0);
  const trueCount = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    let arg = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + arg]) arg = c;
    const t = y[i];
    if (arg === t) {
      correct++;
      tp[t]++;
    }
    predCount[arg]++;
    trueCount[t]++;
    loss -= Math.log(Math.min(1 - eps, Math.max(eps, probs[i * k + t])));
  }
  // Macro F1 over the classes present in the truth or the predictions.
  const f1s: number[] = [];
  for (let c = 0; c < k; c++)
    if (trueCount[c] + predCount[c] > 0) f1s.push((2 * tp[c]) / (trueCount[c] + predCount[c]));
  return {
    accuracy: ratio(correct, n),
    macroF1: ratio(
      f1s.reduce((a, b) => a + b, 0),
      f1s.length,
    ),
    logLoss: ratio(loss, n),
    n,
  };
}

export interface RegressionMetrics {
  rmse: number;
  mae: number;
  r2: number;
  n: number;
}

/** R² = 1 − SS_res / SS_tot (NaN when the truth is constant). */
export function regressionMetrics(y: Nums, yHat: Nums): RegressionMetrics {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let se = 0;
  let ae = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    const e = yHat[i] - y[i];
    se += e * e;
    ae += Math.abs(e);
    tot += (y[i] - mean) ** 2;
  }
  return fromErrorSums(n, se, ae, tot);
}

/** What a database aggregate over labelled predictions returns: plain sums, so windows add up. */
export interface RegressionSums {
  n: number;
  /** Σ (ŷ − y)² */
  squaredError: number;
  /** Σ |ŷ − y| */
  absoluteError: number;
  /** Σ y */
  target: number;
  /** Σ y² */
  squaredTarget: number;
}

/**
 * RMSE, MAE and R² from sums. SS_tot = Σy² − (Σy)²/n loses digits when the mean is large against
 * the spread (then prefer `regressionMetrics` on the rows); clamped at 0 against rounding.
 */
export function regressionFromSums(s: RegressionSums): RegressionMetrics {
  const tot = s.n > 0 ? Math.max(0, s.squaredTarget - (s.target * s.target) / s.n) : 0;
  return fromErrorSums(s.n, s.squaredError, s.absoluteError, tot);
}

function fromErrorSums(n: number, se: number, ae: number, tot: number): RegressionMetrics {
  return {
    rmse: Math.sqrt(ratio(se, n)),
    mae: ratio(ae, n),
    r2: tot === 0 ? NaN : 1 - se / tot,
    n,
  };
}
