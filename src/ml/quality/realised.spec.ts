import { binaryMetrics, regressionFromSums, regressionMetrics } from '../metrics';
import { mulberry32 } from '../random';
import { figuresFromConfusion, realisedBinaryQuality, realisedMulticlassQuality } from './realised';

describe('realised quality', () => {
  it('binary: the figures of metrics.ts, with the positive class named', () => {
    const y = [1, 0, 1, 1, 0, 0, 1, 0];
    const scores = [0.9, 0.8, 0.7, 0.3, 0.2, 0.6, 0.4, 0.1];
    const r = realisedBinaryQuality({ y, scores, threshold: 0.5, positiveClass: 'bad' });
    const m = binaryMetrics(y, scores, 0.5);
    expect(r).toMatchObject({
      positiveClass: 'bad',
      n: 8,
      confusion: { tp: 2, fp: 2, tn: 2, fn: 2 },
      accuracy: 0.5,
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      rocAuc: m.rocAuc,
    });
    expect(figuresFromConfusion({ tp: 0, fp: 0, tn: 3, fn: 1 }).precision).toBeNaN();
  });

  it('multiclass: accuracy, macro F1 and one-vs-rest AUC per class', () => {
    const probs = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.3, 0.5, 0.6, 0.3, 0.1];
    const r = realisedMulticlassQuality([0, 1, 2, 1], probs, ['a', 'b', 'c']);
    expect(r.accuracy).toBe(0.75);
    // Class a: scores 0.7, 0.1, 0.2, 0.6 with only row 0 positive → AUC 1.
    expect(r.rocAuc.a).toBe(1);
    // Class b: positives score 0.8 and 0.3, negatives 0.2 and 0.3 → (1 + 1 + 1 + ½) / 4, a tie counting ½.
    expect(r.rocAuc.b).toBe(0.875);
    // Class c: scores 0.1, 0.1, 0.5, 0.1 with row 2 positive → 1.
    expect(r.rocAuc.c).toBe(1);
    expect(r.macroRocAuc).toBeCloseTo(2.875 / 3, 15);
  });

  it('regression from database sums equals the row-wise figures', () => {
    const rng = mulberry32(9);
    const y = Array.from({ length: 500 }, () => 100 + 20 * rng());
    const yHat = y.map((v) => v + 5 * (rng() - 0.5));
    const sums = {
      n: y.length,
      squaredError: y.reduce((s, v, i) => s + (yHat[i] - v) ** 2, 0),
      absoluteError: y.reduce((s, v, i) => s + Math.abs(yHat[i] - v), 0),
      target: y.reduce((s, v) => s + v, 0),
      squaredTarget: y.reduce((s, v) => s + v * v, 0),
    };
    const fromSums = regressionFromSums(sums);
    const exact = regressionMetrics(y, yHat);
    expect(fromSums.rmse).toBeCloseTo(exact.rmse, 12);
    expect(fromSums.mae).toBeCloseTo(exact.mae, 12);
    expect(fromSums.r2).toBeCloseTo(exact.r2, 9);
    expect(regressionFromSums({ n: 0, squaredError: 0, absoluteError: 0, target: 0, squaredTarget: 0 }).rmse).toBeNaN();
  });
});
