import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MlInputError } from '../errors';
import { mulberry32 } from '../random';
import { estimateMulticlassQuality } from './cbpe-multiclass';
import { probabilityHistogram, type ProbabilityHistogram } from './histogram';
import { realisedMulticlassQuality } from './realised';

interface Case {
  name: string;
  classes: string[];
  probabilities: number[][];
  expected: {
    accuracy: number;
    precision: number;
    recall: number;
    f1: number;
    predictedCounts: number[];
    perClass: {
      tp: number;
      fp: number;
      fn: number;
      precision: number | null;
      recall: number | null;
      f1: number | null;
    }[];
  };
}

/** NannyML-style values from scripts/fixtures/cbpe_multiclass_reference.py (numpy). */
const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'cbpe-multiclass.json'), 'utf8')) as {
  cases: Case[];
};

/** The buckets' form of a window: per class its probabilities over all rows and over the rows predicted it. */
function histogramsOf(rows: number[][], k: number) {
  const predicted = rows.map((r) => r.indexOf(Math.max(...r)));
  const of = (keep: (i: number) => boolean, c: number): ProbabilityHistogram =>
    probabilityHistogram(rows.flatMap((r, i) => (keep(i) ? [r[c]] : [])));
  const classes = Array.from({ length: k }, (_, c) => c);
  return {
    histograms: classes.map((c) => of(() => true, c)),
    predictedHistograms: classes.map((c) => of((i) => predicted[i] === c, c)),
    predictedCounts: classes.map((c) => predicted.filter((p) => p === c).length),
  };
}

describe('CBPE, multiclass accuracy and macro precision, recall, F1 (NannyML one-vs-rest)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s: as the reference computes them', (_, c) => {
    const estimate = estimateMulticlassQuality({
      classes: c.classes,
      ...histogramsOf(c.probabilities, c.classes.length),
    });
    expect(estimate.notEstimated).toEqual([]);
    expect(estimate.classes.map((x) => x.predicted)).toEqual(c.expected.predictedCounts);
    expect(estimate.accuracy!.value).toBeCloseTo(c.expected.accuracy, 10);
    expect(estimate.macroPrecision!.value).toBeCloseTo(c.expected.precision, 10);
    expect(estimate.macroRecall!.value).toBeCloseTo(c.expected.recall, 10);
    expect(estimate.macroF1!.value).toBeCloseTo(c.expected.f1, 10);
    estimate.classes.forEach((x, k) => {
      const e = c.expected.perClass[k];
      expect(x.confusion!.tp).toBeCloseTo(e.tp, 8);
      expect(x.confusion!.fp).toBeCloseTo(e.fp, 8);
      expect(x.confusion!.fn).toBeCloseTo(e.fn, 8);
      // A class never predicted has no precision: NaN here, null in the reference, left out of the mean.
      if (e.precision === null) expect(x.precision!.value).toBeNaN();
      else expect(x.precision!.value).toBeCloseTo(e.precision, 10);
      expect(x.recall!.value).toBeCloseTo(e.recall!, 10);
    });
  });

  it('realised accuracy and macro F1 of calibrated windows fall within the bands in ≥ 95% of 200 windows', () => {
    let accuracyInside = 0;
    let f1Inside = 0;
    const windows = 200;
    for (let w = 0; w < windows; w++) {
      const rng = mulberry32(9000 + w);
      const rows: number[][] = [];
      const y: number[] = [];
      for (let i = 0; i < 1000; i++) {
        const z = [rng() * 3, rng() * 2, rng() * 1.5].map(Math.exp);
        const s = z[0] + z[1] + z[2];
        const row = z.map((v) => Math.round((v / s) * 1e6) / 1e6);
        rows.push(row);
        const u = rng();
        y.push(u < row[0] ? 0 : u < row[0] + row[1] ? 1 : 2);
      }
      const estimate = estimateMulticlassQuality({ classes: ['a', 'b', 'c'], ...histogramsOf(rows, 3) });
      const realised = realisedMulticlassQuality(y, rows.flat(), ['a', 'b', 'c']);
      const within = (v: number, e: { lower: number; upper: number }) => v >= e.lower && v <= e.upper;
      if (within(realised.accuracy, estimate.accuracy!)) accuracyInside++;
      if (within(realised.macroF1, estimate.macroF1!)) f1Inside++;
    }
    expect(accuracyInside / windows).toBeGreaterThanOrEqual(0.95);
    expect(f1Inside / windows).toBeGreaterThanOrEqual(0.95);
  });

  it('without the predicted-class histograms (older buckets) only the ROC AUC; a bad one is named', () => {
    const { histograms, predictedCounts, predictedHistograms } = histogramsOf(fixture.cases[0].probabilities, 3);
    const classes = fixture.cases[0].classes;
    const older = estimateMulticlassQuality({ classes, histograms, predictedCounts });
    expect(older.notEstimated).toEqual(['accuracy', 'precision', 'recall', 'f1']);
    expect(older.accuracy).toBeUndefined();
    expect(Number.isFinite(older.macroRocAuc.value)).toBe(true);
    const bad = () =>
      estimateMulticlassQuality({
        classes,
        histograms,
        predictedCounts,
        predictedHistograms: predictedHistograms.slice(1),
      });
    expect(bad).toThrow(MlInputError);
    expect(bad).toThrow(/predictedHistograms/);
  });
});
