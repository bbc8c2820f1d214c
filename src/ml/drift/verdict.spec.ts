import { quantileEdges } from '../profile';
import { numericWithQuantileBins } from '../reference-profile';
import { binCounts } from './bins';
import { creditSplit } from './fixtures/reference';
import {
  DEFAULT_DRIFT_SETTINGS,
  categoryColumnDrift,
  datasetDrift,
  isDrift,
  numericColumnDrift,
  selectDriftMethod,
} from './verdict';
import { populationStd } from './wasserstein';

describe("Evidently's test choice", () => {
  it.each([
    ['numeric', 1000, undefined, 'ks'],
    ['numeric', 1001, undefined, 'wasserstein'],
    ['numeric', 500, 5, 'chisquare'],
    ['numeric', 500, 2, 'z'],
    ['numeric', 500, 6, 'ks'],
    ['numeric', 5000, 4, 'jensenshannon'],
    ['category', 1000, 3, 'chisquare'],
    ['category', 1000, 2, 'z'],
    ['category', 1000, 1, 'z'],
    ['category', 1001, 2, 'jensenshannon'],
  ] as const)('%s, %d reference rows, %s values → %s', (kind, rows, distinct, method) => {
    expect(selectDriftMethod(kind, rows, distinct)).toBe(method);
  });

  it('compares as Evidently does: KS p ≤ t, chi-squared and z p < t, distances ≥ t; NaN is no drift', () => {
    expect(isDrift('ks', 0.05)).toBe(true);
    expect(isDrift('chisquare', 0.05)).toBe(false);
    expect(isDrift('z', 0.049)).toBe(true);
    expect(isDrift('wasserstein', 0.1)).toBe(true);
    expect(isDrift('jensenshannon', 0.099)).toBe(false);
    expect(isDrift('ks', NaN)).toBe(false);
    expect(isDrift('wasserstein', 0.05, { ...DEFAULT_DRIFT_SETTINGS, distanceThreshold: 0.04 })).toBe(true);
  });

  it('the dataset drifts when at least the drift share of the columns with a verdict does', () => {
    expect(datasetDrift([true, false, null, true, false])).toEqual({
      evaluated: 4,
      drifted: 2,
      share: 0.5,
      drift: true,
    });
    expect(datasetDrift([true, false, false])).toMatchObject({ share: 1 / 3, drift: false });
    expect(datasetDrift([null, null])).toEqual({ evaluated: 0, drifted: 0, share: null, drift: null });
    expect(datasetDrift([true, false, false], { ...DEFAULT_DRIFT_SETTINGS, driftShare: 0.3 }).drift).toBe(true);
  });
});

describe('column verdicts from counts (credit_data)', () => {
  const numeric = (column: string, shift: (v: number) => number, referenceRows?: number) => {
    const split = creditSplit(column);
    const reference = referenceRows ? split.current.slice(0, referenceRows) : split.reference;
    const edges = quantileEdges(Float64Array.from(reference).sort(), 10);
    return numericColumnDrift({
      edges,
      reference: binCounts(reference, edges, { sums: true }),
      referenceStd: populationStd(reference),
      current: binCounts(split.current.map(shift), edges, { sums: true }),
    });
  };

  it('a small reference takes KS: Amount undrifted, then shifted by 300', () => {
    const same = numeric('Amount', (v) => v);
    expect(same).toMatchObject({ method: 'ks', drifted: false, referenceRows: 1000, currentRows: 3340 });
    expect(same.score).toBe(same.ks?.pValue);
    expect(numeric('Amount', (v) => v + 300)).toMatchObject({ method: 'ks', drifted: true });
  });

  it('a large reference takes the normed Wasserstein distance, and every statistic is reported', () => {
    const drifted = numeric('Income', (v) => v * 1.3, 2000);
    expect(drifted.method).toBe('wasserstein');
    expect(drifted.drifted).toBe(true);
    expect(drifted.score).toBe(drifted.normedWasserstein);
    expect(drifted.psi).toBeGreaterThan(0.1);
    expect(drifted.jensenShannon).toBeGreaterThan(0);
    expect(drifted.ks?.statistic).toBeGreaterThan(0);
    expect(numeric('Income', (v) => v, 2000)).toMatchObject({ method: 'wasserstein', drifted: false });
  });

  it('concludes nothing below the minimum window, nor without a reference', () => {
    const edges = [0, 1, 2];
    const reference = binCounts([0.5, 1.5, 1.5], edges);
    const small = numericColumnDrift({ edges, reference, referenceStd: 0.5, current: binCounts([1.9, 1.9], edges) });
    expect(small).toMatchObject({ score: null, drifted: null, reason: 'window_too_small', currentRows: 2 });
    const none = categoryColumnDrift(new Map(), new Map([['a', 500]]));
    expect(none).toMatchObject({ drifted: null, reason: 'no_reference' });
  });

  it('categories: chi-squared on a small reference, an unseen value drifts and is counted', () => {
    const ref = new Map([
      ['owner', 470],
      ['rent', 220],
      ['parents', 180],
      ['other', 130],
    ]);
    const same = categoryColumnDrift(ref, new Map([...ref].map(([k, c]) => [k, c * 2])));
    expect(same).toMatchObject({ method: 'chisquare', drifted: false, unseen: { rows: 0, values: [] } });
    expect(same.score).toBeCloseTo(1, 12);
    const unseen = categoryColumnDrift(ref, new Map([...ref, ['castle', 30]]));
    expect(unseen).toMatchObject({ method: 'chisquare', score: 0, drifted: true, unseen: { rows: 30 } });
    expect(unseen.psi).toBeGreaterThan(0.1);
  });

  it('categories: z-test for two values, Jensen–Shannon on a large reference', () => {
    const binary = categoryColumnDrift(
      new Map([
        ['no', 800],
        ['yes', 200],
      ]),
      new Map([
        ['no', 350],
        ['yes', 150],
      ]),
    );
    expect(binary).toMatchObject({ method: 'z', drifted: true });
    expect(binary.score).toBe(binary.zTest);
    const large = categoryColumnDrift(
      new Map([
        ['a', 3000],
        ['b', 1000],
      ]),
      new Map([
        ['a', 1000],
        ['b', 1000],
      ]),
    );
    expect(large).toMatchObject({ method: 'jensenshannon', drifted: true });
    expect(large.score).toBe(large.jensenShannon);
  });

  describe('a number with few distinct values in the reference is tested as a category (Evidently: ≤ 5)', () => {
    const repeat = (counts: [number, number][]) => counts.flatMap(([v, n]) => Array<number>(n).fill(v));
    /** The reference profile's per-value bins, both sides counted on them as the buckets count. */
    const few = (reference: number[], current: number[]) => {
      const profile = numericWithQuantileBins(reference);
      const h = profile.histogram!;
      return numericColumnDrift({
        edges: h.edges,
        reference: { counts: h.counts, sums: h.sums, below: h.below, above: h.above },
        referenceStd: populationStd(reference),
        current: binCounts(current, h.edges, { sums: true }),
        values: profile.values,
      });
    };
    const asCategories = (reference: Map<string, number>, current: Map<string, number>) =>
      categoryColumnDrift(reference, current);

    it('three values, a small reference: chi-squared on the per-value counts', () => {
      const reference = repeat([
        [1, 300],
        [2, 400],
        [3, 300],
      ]);
      const drift = few(
        reference,
        repeat([
          [1, 200],
          [2, 400],
          [3, 400],
        ]),
      );
      const expected = asCategories(
        new Map([
          ['1', 300],
          ['2', 400],
          ['3', 300],
        ]),
        new Map([
          ['1', 200],
          ['2', 400],
          ['3', 400],
        ]),
      );
      expect(drift).toMatchObject({ method: 'chisquare', drifted: true, referenceRows: 1000, currentRows: 1000 });
      expect(drift.score).toBe(expected.score);
      expect(drift.chiSquare).toEqual(expected.chiSquare);
      expect(drift.ks).toBeUndefined();
      expect(
        few(
          reference,
          repeat([
            [1, 150],
            [2, 200],
            [3, 150],
          ]),
        ).drifted,
      ).toBe(false);
    });

    it('two values: the z-test; a large reference: Jensen–Shannon; a value out of the training range is unseen', () => {
      const binary = few(
        repeat([
          [0, 800],
          [1, 200],
        ]),
        repeat([
          [0, 350],
          [1, 150],
        ]),
      );
      expect(binary).toMatchObject({ method: 'z', drifted: true });
      expect(binary.score).toBe(binary.zTest);
      const large = few(
        repeat([
          [0, 3000],
          [1, 1000],
          [5, 1000],
        ]),
        repeat([
          [0, 300],
          [1, 100],
          [5, 100],
          [9, 50],
        ]),
      );
      expect(large).toMatchObject({
        method: 'jensenshannon',
        unseen: { rows: 50, values: [{ value: '> 5', count: 50 }] },
      });
    });

    it('six values stay numbers (KS), as does a profile from before the rule (no values)', () => {
      const six = repeat([
        [1, 100],
        [2, 200],
        [3, 200],
        [4, 200],
        [5, 200],
        [6, 100],
      ]);
      expect(few(six, six).method).toBe('ks');
      const profile = numericWithQuantileBins(
        repeat([
          [1, 300],
          [2, 400],
          [3, 300],
        ]),
      );
      const h = profile.histogram!;
      const old = numericColumnDrift({
        edges: h.edges,
        reference: { counts: h.counts, below: 0, above: 0 },
        referenceStd: 0.77,
        current: binCounts([1, 2, 3], h.edges),
      });
      expect(old.method).toBe('ks');
    });
  });
});
