import { binCounts } from './bins';
import { fixture, isClose, value } from './fixtures/reference';
import { binnedKsTest, ksPValue, ksTest } from './ks';

describe('two-sample KS (scipy.stats.ks_2samp, method auto)', () => {
  it.each(fixture.ks.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = ksTest(c.a, c.b);
    expect(isClose(got.statistic, value(c.statistic), 1e-12)).toBe(true);
    expect(isClose(got.pValue, value(c.pvalue), 1e-9)).toBe(true);
    expect(got.method).toBe(c.method);
  });

  it.each(fixture.ksPvalue.map((c) => [c.method, c.n1, c.n2, c.d, c.pvalue]))(
    '%s p-value, n = %d and %d, D = %f',
    (method, n1, n2, d, p) => {
      const got = ksPValue(d, n1, n2);
      if (!isClose(got, p, 1e-9, 1e-15)) throw new Error(`${method} ${n1}/${n2} D=${d}: got ${got}, scipy ${p}`);
    },
  );
});

describe('binned KS', () => {
  it('equals the exact test when each bin holds one value', () => {
    const a = [0, 0, 1, 2, 2, 2, 3, 4, 4, 1, 0, 3];
    const b = [1, 1, 2, 3, 3, 4, 4, 4, 4, 0];
    const edges = [0, 1, 2, 3, 4, 5];
    expect(binnedKsTest(binCounts(a, edges), binCounts(b, edges))).toEqual(ksTest(a, b));
  });

  it('never exceeds the exact statistic when bins merge values', () => {
    const a = [0.1, 0.2, 0.4, 0.5, 0.9, 1.3, 1.6, 1.7];
    const b = [0.6, 0.7, 0.8, 1.1, 1.2, 1.9, 1.95, 2];
    const edges = [0, 1, 2];
    const binned = binnedKsTest(binCounts(a, edges), binCounts(b, edges));
    // Exact: at 0.5, F_a = 4/8 and F_b = 0. Binned: only at the edge 1, F_a = 5/8 and F_b = 3/8.
    expect(ksTest(a, b).statistic).toBeCloseTo(0.5, 12);
    expect(binned.statistic).toBeCloseTo(0.25, 12);
  });

  it('counts values outside the edges as bins of their own', () => {
    const edges = [0, 1];
    const binned = binnedKsTest(binCounts([0.5, 0.5], edges), binCounts([-3, 0.5], edges));
    expect(binned.statistic).toBeCloseTo(0.5, 12);
  });

  it('gives NaN on an empty side and refuses different bins', () => {
    expect(binnedKsTest(binCounts([], [0, 1]), binCounts([0.5], [0, 1])).pValue).toBeNaN();
    expect(() => binnedKsTest(binCounts([1], [0, 1, 2]), binCounts([1], [0, 2]))).toThrow(/same bins/);
  });
});
