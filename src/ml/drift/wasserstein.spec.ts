import { binCounts } from './bins';
import { fixture, isClose } from './fixtures/reference';
import { binnedWasserstein, normedWasserstein, populationStdFromSample, wasserstein } from './wasserstein';

describe('Wasserstein distance (scipy.stats.wasserstein_distance; normed as Evidently)', () => {
  it.each(fixture.wasserstein.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(isClose(wasserstein(c.a, c.b), c.distance, 1e-12)).toBe(true);
    expect(isClose(normedWasserstein(c.a, c.b), c.normed, 1e-12)).toBe(true);
  });

  it('is NaN on an empty sample', () => {
    expect(wasserstein([], [1])).toBeNaN();
  });

  it('turns a profile’s sample std into the population std Evidently norms by', () => {
    // [1, 3]: sample std √2, population std 1
    expect(populationStdFromSample(Math.SQRT2, 2)).toBeCloseTo(1, 12);
    expect(populationStdFromSample(null, 1)).toBe(0);
  });
});

describe('binned Wasserstein', () => {
  const evenly = (n: number, lo: number, hi: number) =>
    Array.from({ length: n }, (_, i) => lo + ((i + 0.5) * (hi - lo)) / n);

  it('is exact in the tails with the kept sums, a lower bound without them', () => {
    // Reference spread evenly over [0, 1]; current all above it, at 5 and 7: W = 6 − 0.5 = 5.5.
    const ref = evenly(1000, 0, 1);
    const cur = [5, 7];
    const edges = [0, 1];
    expect(wasserstein(ref, cur)).toBeCloseTo(5.5, 9);
    expect(binnedWasserstein(edges, binCounts(ref, edges), binCounts(cur, edges))).toBeCloseTo(5.5, 9);
    const withoutSums = { ...binCounts(cur, edges), belowSum: undefined, aboveSum: undefined };
    expect(binnedWasserstein(edges, binCounts(ref, edges), withoutSums)).toBeCloseTo(0.5, 9);
  });

  it('integrates |F − G| exactly where the CDFs cross inside a bin', () => {
    // One bin [0, 1]. Reference: 10 values in it (F from 0 to 1). Current: 3 at −1, 4 in the bin,
    // 3 at 2 (F from 0.3 to 0.7). F_ref − F_cur goes −0.3 → 0.3, crossing mid-bin: ∫ = 0.15.
    // Tails: Σ(0 − v)/10 = 0.3 below and Σ(v − 1)/10 = 0.3 above. Total 0.75.
    const ref = { counts: [10], below: 0, above: 0, belowSum: 0, aboveSum: 0 };
    const cur = { counts: [4], below: 3, above: 3, belowSum: -3, aboveSum: 6 };
    expect(binnedWasserstein([0, 1], ref, cur)).toBeCloseTo(0.75, 12);
  });

  it('refuses counts that do not match the edges', () => {
    expect(() =>
      binnedWasserstein([0, 1, 2], { counts: [1], below: 0, above: 0 }, { counts: [1], below: 0, above: 0 }),
    ).toThrow(/each bin/);
  });
});
