import { calibrate, type CalibrationMap } from '../calibration';
import { MlInputError } from '../errors';
import { mulberry32, type Rng } from '../random';
import { estimateBinaryQuality, estimateBinaryQualityFromScores, type BinaryQualityEstimate } from './cbpe';
import { estimateMulticlassQuality } from './cbpe-multiclass';
import { probabilityBin, probabilityHistogram } from './histogram';
import { realisedBinaryQuality, realisedMulticlassQuality } from './realised';

const WINDOWS = 200;
const FIGURES = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const;

/** A standard normal by Box–Muller. */
const normal = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
/** Raw scores of a fair model: the logit of a score is normal, centred below 0 (positives are the rarer class). */
const scoresOf = (rng: Rng, n: number) => Array.from({ length: n }, () => 1 / (1 + Math.exp(-(1.5 * normal(rng) - 1))));

/** Per figure, the share of windows whose realised value lies within the estimate's band. */
function coverage(
  windows: { estimate: BinaryQualityEstimate; realised: Record<(typeof FIGURES)[number], number> }[],
): Record<string, number> {
  return Object.fromEntries(
    FIGURES.map((f) => [
      f,
      windows.filter(({ estimate, realised }) => realised[f] >= estimate[f].lower && realised[f] <= estimate[f].upper)
        .length / windows.length,
    ]),
  );
}

/** Windows whose labels are drawn from `truth(score)`; the estimate applies `map` to the raw scores. */
function binaryWindows(n: number, threshold: number, truth: (p: number) => number, map: CalibrationMap | null) {
  return Array.from({ length: WINDOWS }, (_, w) => {
    const rng = mulberry32(1000 + w);
    const scores = scoresOf(rng, n);
    const y = scores.map((p) => (rng() < truth(p) ? 1 : 0));
    return {
      estimate: estimateBinaryQuality({
        histogram: probabilityHistogram(scores),
        threshold,
        positiveClass: 'bad',
        calibration: map,
      }),
      realised: realisedBinaryQuality({ y, scores, threshold, positiveClass: 'bad' }),
    };
  });
}

describe('CBPE, binary, on synthetic calibrated scores (200 seeded windows of 1,000)', () => {
  it('realised figures fall within the ±3 SE band in ≥ 95% of windows, and the SE is not inflated', () => {
    const windows = binaryWindows(1000, 0.5, (p) => p, null);
    for (const [figure, share] of Object.entries(coverage(windows))) {
      expect([figure, share >= 0.95]).toEqual([figure, true]);
    }
    // Not absurdly wide: the mean standard error is within [0.7, 2] × the spread of realised − estimated.
    for (const f of FIGURES) {
      const d = windows.map((w) => w.realised[f] - w.estimate[f].value);
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
      const se = windows.reduce((a, w) => a + w.estimate[f].standardError, 0) / windows.length;
      expect([f, se / sd > 0.7 && se / sd < 2]).toEqual([f, true]);
    }
    expect(windows[0].estimate.positiveClass).toBe('bad');
  });

  it('with a miscalibrated model, the map puts the estimate back on the realised value; raw scores miss', () => {
    // The truth is σ(0.6·logit(p) − 0.8): raw scores over-state both the spread and the positive rate.
    const map: CalibrationMap = { method: 'platt', slope: 0.6, intercept: -0.8 };
    const truth = (p: number) => calibrate(map, p);
    const withMap = coverage(binaryWindows(1000, 0.4, truth, map));
    const without = coverage(binaryWindows(1000, 0.4, truth, null));
    for (const f of FIGURES) expect([f, withMap[f] >= 0.95]).toEqual([f, true]);
    // Uncalibrated, at least the threshold figures come out wrong in most windows.
    expect(Math.min(without.precision, without.recall, without.f1)).toBeLessThan(0.5);
  });

  it('from the 100-bin histogram comes within 5e-4 of exact CBPE on the raw scores (5e-3 when the threshold cuts a bin)', () => {
    // Breakpoints inside bins, and a curved map: the map is applied to bin means, not to each score.
    const isotonic: CalibrationMap = { method: 'isotonic', x: [0.013, 0.213, 0.537, 0.781], y: [0, 0.1, 0.45, 0.9] };
    const platt: CalibrationMap = { method: 'platt', slope: 1.7, intercept: -0.4 };
    for (const [threshold, calibration] of [
      [0.5, null],
      [0.437, null],
      [0.5, isotonic],
      [0.3172, isotonic],
      [0.5, platt],
      [0.61, platt],
    ] as const) {
      // A threshold on a bin edge splits the histogram exactly; inside a bin, the bin is split by width.
      const tolerance = Number.isInteger(threshold * 100) ? 5e-4 : 5e-3;
      for (let w = 0; w < 20; w++) {
        const scores = scoresOf(mulberry32(50 + w), 2000);
        const binned = estimateBinaryQuality({
          histogram: probabilityHistogram(scores),
          threshold,
          positiveClass: 'bad',
          calibration,
        });
        const exact = estimateBinaryQualityFromScores({ scores, threshold, positiveClass: 'bad', calibration });
        for (const f of FIGURES) expect([f, Math.abs(binned[f].value - exact[f].value) < tolerance]).toEqual([f, true]);
      }
    }
  });

  it('gives the textbook expected confusion matrix on a hand case', () => {
    const e = estimateBinaryQualityFromScores({ scores: [0.9, 0.6, 0.4, 0.1], threshold: 0.5, positiveClass: 'x' });
    expect(e.confusion.tp).toBeCloseTo(1.5, 12);
    expect(e.confusion.fp).toBeCloseTo(0.5, 12);
    expect(e.confusion.fn).toBeCloseTo(0.5, 12);
    expect(e.confusion.tn).toBeCloseTo(1.5, 12);
    expect(e.accuracy.value).toBeCloseTo(0.75, 12);
    // Steps (ΔFP, TP before → after): (0.1, 0 → 0.9), (0.4, 0.9 → 1.5), (0.6, 1.5 → 1.9), (0.9, 1.9 → 2).
    const area = 0.1 * 0.45 + 0.4 * 1.2 + 0.6 * 1.7 + 0.9 * 1.95;
    expect(e.rocAuc.value).toBeCloseTo(area / 4, 12);
  });

  it('refuses a histogram that is not one', () => {
    expect(() =>
      estimateBinaryQuality({ histogram: { counts: [1, 2], sums: [0.1] }, threshold: 0.5, positiveClass: 'x' }),
    ).toThrow(MlInputError);
  });
});

describe('probabilityBin', () => {
  it('splits at the edges themselves, as p ≥ threshold does', () => {
    expect(probabilityBin(0.29)).toBe(29);
    expect(probabilityBin(0.2899999)).toBe(28);
    expect(probabilityBin(0)).toBe(0);
    expect(probabilityBin(1)).toBe(99);
    expect(probabilityBin(0.5)).toBe(50);
  });
});

describe('CBPE, multiclass, one-vs-rest from per-class histograms', () => {
  it('realised one-vs-rest AUCs fall within the band in ≥ 95% of 200 windows', () => {
    const classes = ['a', 'b', 'c'];
    let inside = 0;
    let total = 0;
    for (let w = 0; w < WINDOWS; w++) {
      const rng = mulberry32(5000 + w);
      const n = 1000;
      const probs: number[] = [];
      const y: number[] = [];
      const predicted = [0, 0, 0];
      for (let i = 0; i < n; i++) {
        const z = [1.5 * normal(rng) + 0.5, 1.5 * normal(rng), 1.5 * normal(rng) - 0.5].map(Math.exp);
        const s = z[0] + z[1] + z[2];
        const row = z.map((v) => v / s);
        probs.push(...row);
        const u = rng();
        y.push(u < row[0] ? 0 : u < row[0] + row[1] ? 1 : 2);
        predicted[row.indexOf(Math.max(...row))]++;
      }
      const estimate = estimateMulticlassQuality({
        classes,
        histograms: classes.map((_, k) => probabilityHistogram(probs.filter((_, j) => j % 3 === k))),
        predictedCounts: predicted,
      });
      const realised = realisedMulticlassQuality(y, probs, classes);
      estimate.classes.forEach((c) => {
        total++;
        if (realised.rocAuc[c.class] >= c.rocAuc.lower && realised.rocAuc[c.class] <= c.rocAuc.upper) inside++;
        expect(c.rocAuc.upper - c.rocAuc.lower).toBeLessThan(0.2);
      });
      expect(estimate.notEstimated).toEqual(['accuracy', 'precision', 'recall', 'f1']);
    }
    expect(inside / total).toBeGreaterThanOrEqual(0.95);
  });
});
