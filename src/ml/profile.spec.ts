import {
  categoryProfile,
  histogram,
  ksStatistic,
  numericProfile,
  percentileCont,
  psi,
  psiCategories,
  quantileEdges,
} from './profile';

describe('numeric profile', () => {
  it('percentile_cont interpolates between floor and ceil of p·(n−1)', () => {
    const s = [1, 2, 3, 4];
    expect(percentileCont(s, 0.25)).toBeCloseTo(1.75, 12); // pos 0.75
    expect(percentileCont(s, 0.5)).toBeCloseTo(2.5, 12); // pos 1.5
    expect(percentileCont(s, 0.01)).toBeCloseTo(1.03, 12); // pos 0.03
    expect(percentileCont(s, 1)).toBe(4);
    expect(percentileCont([7], 0.99)).toBe(7);
  });

  it('counts, missing, mean, sample std (n − 1), min, max', () => {
    // mean 5, Σ(x − 5)² = 9+1+1+1+0+0+4+16 = 32 → std √(32/7)
    const prof = numericProfile([2, 4, null, 4, 4, 5, 5, 7, 9, Number.NaN]);
    expect(prof).toMatchObject({ count: 8, missing: 2, mean: 5, min: 2, max: 9 });
    expect(prof.std).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(prof.quantiles.map((q) => q.p)).toEqual([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]);
    expect(numericProfile([3]).std).toBeNull(); // like stddev_samp of one row
  });

  it('histogram bins are left-closed, the last one also holds its right edge', () => {
    const h = histogram([-1, 0, 0.5, 1, 1.5, 2, 3], [0, 1, 2]);
    // [0,1): 0, 0.5; [1,2]: 1, 1.5, 2; below: −1; above: 3
    expect(h).toEqual({ edges: [0, 1, 2], counts: [2, 3], below: 1, above: 1 });
  });

  it('quantile edges drop duplicates', () => {
    expect(quantileEdges([1, 1, 1, 1, 5], 4)).toEqual([1, 5]);
    expect(quantileEdges([3, 3], 10)).toEqual([3, 3]);
  });
});

describe('categories and drift', () => {
  it('keeps the top values and sums the rest', () => {
    const prof = categoryProfile(['a', 'b', 'a', null, 'c', 'a', 'b', '__proto__'], 2);
    expect(prof).toEqual({
      kind: 'category',
      count: 7,
      missing: 1,
      distinct: 4,
      top: [
        { value: 'a', count: 3 },
        { value: 'b', count: 2 },
      ],
      other: 2,
    });
  });

  it('PSI is 0 for identical bins and symmetric for swapped ones', () => {
    expect(psi([50, 50], [50, 50])).toBeCloseTo(0, 12);
    // (0.2 − 0.8)·ln(0.25) + (0.8 − 0.2)·ln(4) = 1.2·ln 4 = 1.663553
    expect(psi([80, 20], [20, 80], 0)).toBeCloseTo(1.663553, 6);
    // an empty bin stays finite thanks to ε
    expect(Number.isFinite(psi([10, 0], [5, 5]))).toBe(true);
  });

  it('PSI of categories folds unseen values into __other__', () => {
    const ref = categoryProfile(['a', 'a', 'b', 'c'], 2); // top a:2, b:1, other 1
    // current a:2, b:1, z:1 → same bins [2, 1, 1]
    expect(
      psiCategories(
        ref,
        new Map([
          ['a', 2],
          ['b', 1],
          ['z', 1],
        ]),
      ),
    ).toBeCloseTo(0, 12);
  });

  it('KS statistic is the largest ECDF gap', () => {
    // at 1: 1/3 vs 0; at 2: 2/3 vs 1/3; at 3: 1 vs 2/3 → 1/3
    expect(ksStatistic([1, 2, 3], [2, 3, 4])).toBeCloseTo(1 / 3, 12);
    expect(ksStatistic([1, 2], [1, 2])).toBe(0);
  });
});
