import { recentWindows } from '../windows/window-plan';
import { ShadowTally, totalVariation } from './shadow-tally';

const out = (p: number) => ({ label: p >= 0.5 ? 'good' : 'bad', probabilities: { bad: 1 - p, good: p } });

describe('ShadowTally', () => {
  it('agreement, probability differences and the realised figures of both on the labelled pairs', () => {
    const tally = new ShadowTally({ task: 'binary', positiveClass: 'good' });
    // shadow, production, label
    tally.add(out(0.9), out(0.8), 'good'); // agree, |Δ| 0.1
    tally.add(out(0.4), out(0.6), 'bad'); // disagree, 0.2; production wrong, shadow right
    tally.add(out(0.7), out(0.7), null); // agree, 0; unlabelled
    tally.add(out(0.1), out(0.5), 'bad'); // disagree, 0.4; production wrong, shadow right
    const r = tally.result();
    expect(r).toMatchObject({ pairs: 4, labelledPairs: 3, agreement: 0.5, valueDiffMean: null });
    expect(r.probabilityDiffMean).toBeCloseTo((0.1 + 0.2 + 0 + 0.4) / 4, 12);
    // p90 of {0, 0.1, 0.2, 0.4}: the 4th value's bin, read at its upper edge (to 0.001).
    expect(r.probabilityDiffP90).toBeCloseTo(0.401, 12);
    expect(r.shadow.figures.accuracy).toBe(1);
    expect(r.answered.figures.accuracy).toBeCloseTo(1 / 3, 12);
    expect(r.shadow.n).toBe(3);
  });

  it('regression: the mean absolute difference of the values, no agreement', () => {
    const tally = new ShadowTally({ task: 'regression', positiveClass: null });
    tally.add({ value: 10 }, { value: 12 }, 11);
    tally.add({ value: 5 }, { value: 4 }, null);
    expect(tally.result()).toMatchObject({ pairs: 2, agreement: null, valueDiffMean: 1.5, probabilityDiffMean: null });
    expect(tally.result().shadow.figures.rmse).toBe(1);
    expect(tally.result().answered.figures.mae).toBe(1);
  });

  it('totalVariation: half the L1 distance, a missing class counting as 0', () => {
    expect(totalVariation({ a: 0.5, b: 0.3, c: 0.2 }, { a: 0.2, b: 0.3, c: 0.5 })).toBeCloseTo(0.3, 12);
    expect(totalVariation({ a: 1 }, { b: 1 })).toBe(1);
    expect(totalVariation(undefined, { a: 1 })).toBeNull();
  });
});

describe('recentWindows', () => {
  it('the aligned windows that ended, newest first, covering the lookback', () => {
    const hour = 3_600_000;
    const now = Date.UTC(2026, 0, 2, 10, 30);
    const w = recentWindows(now, hour, 3 * hour);
    expect(w.map((x) => [x.from.toISOString(), x.to.toISOString()])).toEqual([
      ['2026-01-02T09:00:00.000Z', '2026-01-02T10:00:00.000Z'],
      ['2026-01-02T08:00:00.000Z', '2026-01-02T09:00:00.000Z'],
      ['2026-01-02T07:00:00.000Z', '2026-01-02T08:00:00.000Z'],
    ]);
    expect(recentWindows(now, hour, 0)).toHaveLength(1);
  });
});
