/**
 * What the binned Wasserstein distance assumes inside a bin: each side's values spread evenly — over the
 * whole bin, or, when both sides keep per-bin sums, over the part of the bin that touches the
 * nearer edge and has the bin's mean (so ∫F over the bin is exact, and a bin whose values sit at
 * one end, e.g. Debt's zeros, is no longer smeared across it). Both CDFs are then linear between
 * consecutive points of {bin edges, support ends}; `forEachSegment` visits those segments.
 */
import { binTotal, type BinCounts } from './bins';

/** One side within one bin: F rises from f0 by `mass`, evenly over [from, to] (a step where from = to). */
interface BinModel {
  f0: number;
  mass: number;
  from: number;
  to: number;
}

/**
 * Calls visit(s, t, d0, d1) for each segment [s, t] inside the edges, with d = F_reference − F_current
 * at s (limit from the right) and t (from the left). Sums are used only when both sides have them:
 * one side modelled with means and the other without is worse than neither.
 */
export function forEachSegment(
  edges: ArrayLike<number>,
  reference: BinCounts,
  current: BinCounts,
  visit: (s: number, t: number, d0: number, d1: number) => void,
): void {
  const k = edges.length - 1;
  const withSums = reference.sums !== undefined && current.sums !== undefined;
  const nr = binTotal(reference);
  const nc = binTotal(current);
  const r: BinModel = { f0: reference.below / nr, mass: 0, from: 0, to: 0 };
  const c: BinModel = { f0: current.below / nc, mass: 0, from: 0, to: 0 };
  const points = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < k; i++) {
    const a = edges[i];
    const b = edges[i + 1];
    spread(r, reference, withSums, i, a, b, nr);
    spread(c, current, withSums, i, a, b, nc);
    points[0] = a;
    points[1] = r.from;
    points[2] = r.to;
    points[3] = c.from;
    points[4] = c.to;
    points[5] = b;
    points.sort((x, y) => x - y);
    for (let j = 0; j < 5; j++) {
      const s = points[j];
      const t = points[j + 1];
      if (t > s) visit(s, t, cdf(r, s, true) - cdf(c, s, true), cdf(r, t, false) - cdf(c, t, false));
    }
    r.f0 += r.mass;
    c.f0 += c.mass;
  }
}

function spread(model: BinModel, bins: BinCounts, withSums: boolean, i: number, a: number, b: number, n: number): void {
  const count = bins.counts[i];
  model.mass = count / n;
  model.from = a;
  model.to = b;
  if (!withSums || !bins.sums || count === 0) return;
  const mean = Math.min(Math.max(bins.sums[i] / count, a), b);
  if (mean - a <= b - mean) model.to = 2 * mean - a;
  else model.from = 2 * mean - b;
}

/** F at x, as its limit from the right (`fromRight`) or the left: only a step makes them differ. */
function cdf(m: BinModel, x: number, fromRight: boolean): number {
  if (m.to === m.from) return m.f0 + (x > m.from || (x === m.from && fromRight) ? m.mass : 0);
  return m.f0 + m.mass * Math.min(Math.max((x - m.from) / (m.to - m.from), 0), 1);
}
