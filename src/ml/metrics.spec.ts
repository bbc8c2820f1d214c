import {
  averagePrecision,
  bestF1Threshold,
  binaryMetrics,
  brierScore,
  logLoss,
  multiclassMetrics,
  regressionMetrics,
  rocAuc,
} from './metrics';

// y = [1, 0, 1, 0], p = [0.8, 0.4, 0.4, 0.1]: one tie between a positive and a negative.
const y = [1, 0, 1, 0];
const p = [0.8, 0.4, 0.4, 0.1];

describe('binary metrics', () => {
  it('ROC AUC counts a tie as one half', () => {
    // pos×neg pairs: 0.8>0.4, 0.8>0.1, 0.4=0.4 (½), 0.4>0.1 → 3.5 / 4
    expect(rocAuc(y, p)).toBeCloseTo(0.875, 12);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it('average precision steps over distinct thresholds', () => {
    // 0.8: R=½ P=1 → ½; {0.4, 0.4}: R=1 P=2/3 → +½·2/3; 0.1: no recall gain → 5/6
    expect(averagePrecision(y, p)).toBeCloseTo(5 / 6, 12);
  });

  it('confusion-based metrics at 0.5 and at 0.4 (p >= threshold is positive)', () => {
    const m = binaryMetrics(y, p, 0.5);
    expect(m.confusion).toEqual({ tp: 1, fp: 0, tn: 2, fn: 1 });
    expect(m.accuracy).toBeCloseTo(0.75, 12);
    expect(m.precision).toBeCloseTo(1, 12);
    expect(m.recall).toBeCloseTo(0.5, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12); // 2·1 / (2·1 + 0 + 1)
    expect(binaryMetrics(y, p, 0.4).confusion).toEqual({ tp: 2, fp: 1, tn: 1, fn: 0 });
  });

  it('log loss and Brier score', () => {
    // −(ln .8 + ln .6 + ln .4 + ln .9) / 4 = (0.223144 + 0.510826 + 0.916291 + 0.105361) / 4
    expect(logLoss(y, p)).toBeCloseTo(0.438905, 6);
    // (0.04 + 0.16 + 0.36 + 0.01) / 4
    expect(brierScore(y, p)).toBeCloseTo(0.1425, 12);
    // clipped: a certain miss stays finite, −ln(1e−7) ≈ 16.118
    expect(logLoss([1], [0])).toBeCloseTo(16.118, 3);
  });

  it('best F1 threshold', () => {
    // t=0.8: 2·1/(1+2)=.667; t=0.4: 2·2/(3+2)=.8; t=0.1: 2·2/(4+2)=.667
    expect(bestF1Threshold(y, p)).toBe(0.4);
  });
});

describe('multiclass and regression metrics', () => {
  it('multiclass accuracy, macro F1, log loss', () => {
    const probs = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.5, 0.1, 0.4];
    const m = multiclassMetrics([0, 1, 2], probs, 3);
    // predictions 0, 1, 0 → accuracy 2/3; F1 per class: 2/3, 1, 0 → macro 5/9
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
    expect(m.macroF1).toBeCloseTo(5 / 9, 12);
    // −(ln .7 + ln .8 + ln .4) / 3
    expect(m.logLoss).toBeCloseTo((0.356675 + 0.223144 + 0.916291) / 3, 6);
  });

  it('RMSE, MAE, R²', () => {
    // errors 0, 0, 2: RMSE √(4/3), MAE 2/3; SS_tot = 1+0+1 = 2 → R² = 1 − 4/2 = −1
    const m = regressionMetrics([1, 2, 3], [1, 2, 5]);
    expect(m.rmse).toBeCloseTo(Math.sqrt(4 / 3), 12);
    expect(m.mae).toBeCloseTo(2 / 3, 12);
    expect(m.r2).toBeCloseTo(-1, 12);
  });
});
