import {
  alignCounts,
  chiSquareSf,
  chiSquareTest,
  jensenShannon,
  proportionZTest,
  unseenCategories,
} from './categorical';
import { fixture, isClose, value, type CategoryCase } from './fixtures/reference';

const counts = (o: Record<string, number>) => new Map(Object.entries(o));
const cases = [...fixture.categories, ...fixture.credit.categories].map((c) => [c.name, c] as const);

describe("category tests (Evidently's chisquare, z and jensenshannon stattests, with scipy)", () => {
  it.each(cases)('%s', (_, c: CategoryCase) => {
    const { keys, reference, current } = alignCounts(counts(c.reference), counts(c.current));
    const chi = chiSquareTest(reference, current);
    expect(isClose(chi.statistic, value(c.chiSquare.statistic), 1e-12)).toBe(true);
    expect(isClose(chi.pValue, value(c.chiSquare.pvalue), 1e-9, 1e-300)).toBe(true);
    expect(isClose(jensenShannon(reference, current), value(c.jensenShannon), 1e-12, 1e-15)).toBe(true);
    if (c.zTest !== undefined) {
      // Evidently computes 2·(1 − Φ(|z|)), exact only to ~1e-16 absolute; here 2·Φ(−|z|).
      expect(isClose(proportionZTest(reference, current), value(c.zTest), 1e-9, 1e-15)).toBe(true);
    } else {
      expect(keys.length).toBeGreaterThan(2);
      expect(() => proportionZTest(reference, current)).toThrow(/two values/);
    }
  });

  it.each(fixture.jensenShannon.map((c) => [c.name, c] as const))('Jensen–Shannon: %s', (_, c) => {
    expect(isClose(jensenShannon(c.p, c.q, c.base ?? Math.E), c.distance, 1e-12, 1e-15)).toBe(true);
  });

  it('chi-squared survival keeps tiny p-values (no 1 − CDF cancellation)', () => {
    // P(χ²₁ ≥ 100) = erfc(√50) = 1.523971e-23
    expect(chiSquareSf(100, 1) / 1.5239706048320995e-23).toBeCloseTo(1, 9);
    expect(chiSquareSf(Infinity, 3)).toBe(0);
    expect(chiSquareSf(1, 0)).toBeNaN();
  });

  it('aligns the union of values seen on either side, skipping zero counts', () => {
    const a = alignCounts(
      new Map([
        ['a', 2],
        ['gone', 0],
      ]),
      new Map([
        ['b', 1],
        ['a', 3],
      ]),
    );
    expect(a.keys).toEqual(['a', 'b']);
    expect(Array.from(a.reference)).toEqual([2, 0]);
    expect(Array.from(a.current)).toEqual([3, 1]);
  });

  it('counts the rows and values the reference never saw', () => {
    const known = new Set(['owner', 'rent']);
    const current = new Map([
      ['owner', 10],
      ['boat', 2],
      ['castle', 3],
      ['__proto__', 1],
    ]);
    expect(unseenCategories(known, current)).toEqual({
      rows: 6,
      values: [
        { value: 'castle', count: 3 },
        { value: 'boat', count: 2 },
        { value: '__proto__', count: 1 },
      ],
    });
  });

  it('gives NaN, not a verdict, on an empty side', () => {
    expect(chiSquareTest([0, 0], [1, 2]).pValue).toBeNaN();
    expect(jensenShannon([0, 0], [1, 2])).toBeNaN();
    expect(proportionZTest([0, 0], [1, 2])).toBeNaN();
  });
});
