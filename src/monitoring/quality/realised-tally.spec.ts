import { mulberry32, realisedBinaryQuality, realisedMulticlassQuality, regressionMetrics } from '../../ml';
import { AUC_BINS, binnedAuc, RealisedTally } from './realised-tally';

const binaryOutput = (p: number) => ({ label: p >= 0.5 ? 'good' : 'bad', probabilities: { bad: 1 - p, good: p } });

describe('RealisedTally', () => {
  it('binary: the served labels against the given ones, as the library computes them on the rows', () => {
    const rnd = mulberry32(7);
    const tally = new RealisedTally({ task: 'binary', positiveClass: 'good' });
    const scores: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const p = Math.round(rnd() * 1e6) / 1e6;
      const good = rnd() < p;
      tally.add(binaryOutput(p), good ? 'good' : 'bad');
      scores.push(p);
      y.push(good ? 1 : 0);
    }
    const exact = realisedBinaryQuality({ y, scores, threshold: 0.5, positiveClass: 'good' });
    const r = tally.figures();
    expect(r.n).toBe(2000);
    expect(r.figures.accuracy).toBeCloseTo(exact.accuracy, 12);
    expect(r.figures.precision).toBeCloseTo(exact.precision, 12);
    expect(r.figures.recall).toBeCloseTo(exact.recall, 12);
    expect(r.figures.f1).toBeCloseTo(exact.f1, 12);
    // Binned: within the bound it reports, which 1000 bins keep small.
    const bound = r.method.rocAucTieBound as number;
    expect(Math.abs(r.figures.roc_auc - exact.rocAuc)).toBeLessThanOrEqual(bound + 1e-12);
    expect(bound).toBeLessThan(0.002);
  });

  it('binary: known counts give known figures (3 of 4 right: tp 2, fp 1, tn 1)', () => {
    const tally = new RealisedTally({ task: 'binary', positiveClass: 'good' });
    tally.add(binaryOutput(0.9), 'good');
    tally.add(binaryOutput(0.8), 'good');
    tally.add(binaryOutput(0.7), 'bad');
    tally.add(binaryOutput(0.2), 'bad');
    expect(tally.figures().figures).toEqual({ accuracy: 0.75, precision: 2 / 3, recall: 1, f1: 0.8, roc_auc: 1 });
  });

  it('multiclass (or binary without a positive class): accuracy, macro figures and macro ROC AUC', () => {
    const classes = ['a', 'b', 'c'];
    const rnd = mulberry32(3);
    const tally = new RealisedTally({ task: 'multiclass', positiveClass: null });
    const y: number[] = [];
    const probs: number[] = [];
    for (let i = 0; i < 900; i++) {
      const raw = classes.map(() => rnd() + 0.01);
      const sum = raw.reduce((s, v) => s + v, 0);
      const p = raw.map((v) => Math.round((v / sum) * 1e6) / 1e6);
      const predicted = p.indexOf(Math.max(...p));
      const actual = rnd() < 0.6 ? predicted : Math.floor(rnd() * 3);
      tally.add(
        { label: classes[predicted], probabilities: Object.fromEntries(classes.map((c, k) => [c, p[k]])) },
        classes[actual],
      );
      y.push(actual);
      probs.push(...p);
    }
    const exact = realisedMulticlassQuality(y, probs, classes);
    const r = tally.figures();
    expect(r.figures.accuracy).toBeCloseTo(exact.accuracy, 12);
    expect(r.figures.f1).toBeCloseTo(exact.macroF1, 12);
    expect(Math.abs(r.figures.roc_auc - exact.macroRocAuc)).toBeLessThan(0.002);
  });

  it('regression: RMSE, MAE and R² as on the rows; labels that are not numbers are skipped and counted', () => {
    const tally = new RealisedTally({ task: 'regression', positiveClass: null });
    const y = [3, 5, 2.5, 7, 4];
    const yHat = [2.5, 5, 4, 8, 3];
    y.forEach((v, i) => tally.add({ value: yHat[i] }, v));
    expect(tally.add({ value: 1 }, 'n/a')).toBe(false);
    expect(tally.add({ label: 'x' }, 2)).toBe(false);
    const exact = regressionMetrics(y, yHat);
    const r = tally.figures();
    expect(r).toMatchObject({ n: 5, skipped: 2 });
    expect(r.figures.rmse).toBeCloseTo(exact.rmse, 12);
    expect(r.figures.mae).toBeCloseTo(exact.mae, 12);
    expect(r.figures.r2).toBeCloseTo(exact.r2, 12);
  });

  it('says NaN for what a window cannot define (one class only, nothing labelled)', () => {
    const tally = new RealisedTally({ task: 'binary', positiveClass: 'good' });
    expect(Number.isNaN(tally.figures().figures.accuracy)).toBe(true);
    tally.add(binaryOutput(0.9), 'good');
    expect(tally.figures().figures.accuracy).toBe(1);
    expect(Number.isNaN(tally.figures().figures.roc_auc)).toBe(true);
  });
});

describe('binnedAuc', () => {
  it('counts pairs in one bin as ties, and bounds its error by them', () => {
    const pos = new Array(AUC_BINS).fill(0);
    const neg = new Array(AUC_BINS).fill(0);
    pos[10] = 2;
    neg[10] = 2;
    neg[5] = 2;
    // 8 pairs: 4 wins (above the negatives of bin 5), 4 ties.
    expect(binnedAuc({ pos, neg })).toEqual({ value: 0.75, tieBound: 0.25 });
  });
});
