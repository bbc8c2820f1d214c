import { numericProfile, PROFILE_QUANTILES } from '../../ml';
import {
  categoryFromTop,
  edgesFromDeciles,
  histogramFromBuckets,
  numericFromSummary,
  quantileProbabilities,
} from './dataset-profile';

describe('profile assembly', () => {
  it('asks for the profile quantiles then the 11 decile edges', () => {
    const ps = quantileProbabilities();
    expect(ps.slice(0, PROFILE_QUANTILES.length)).toEqual([...PROFILE_QUANTILES]);
    expect(ps.slice(PROFILE_QUANTILES.length)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  });

  it('dedups decile edges and keeps a constant column as one bin', () => {
    expect(edgesFromDeciles([1, 1, 1, 2, 2, 3, 3, 3, 4, 5, 9])).toEqual([1, 2, 3, 4, 5, 9]);
    expect(edgesFromDeciles([7, 7, 7])).toEqual([7, 7]);
  });

  it('turns width_bucket groups into bins, below and above', () => {
    // edges 0 | 10 | 20 | 30: bucket 0 = below, 1..3 = bins, 4 = above
    const h = histogramFromBuckets(
      [0, 10, 20, 30],
      [
        { bucket: 0, count: 2 },
        { bucket: 1, count: 5 },
        { bucket: 3, count: 4 },
        { bucket: 4, count: 1 },
      ],
    );
    expect(h).toEqual({ edges: [0, 10, 20, 30], counts: [5, 0, 4], below: 2, above: 1 });
  });

  it('builds the numeric profile of values 1, 2, 3, 4 and a missing one (computed by hand)', () => {
    // mean 2.5; sample variance ((1.5² + 0.5²)·2)/3 = 5/3; percentile_cont(0.25) = 1 + 0.75·1 = 1.75
    const p = numericFromSummary({
      rows: 5,
      count: 4,
      mean: 2.5,
      std: Math.sqrt(5 / 3),
      min: 1,
      max: 4,
      quantiles: [1.03, 1.15, 1.75, 2.5, 3.25, 3.85, 3.97],
    });
    expect(p).toMatchObject({ kind: 'numeric', count: 4, missing: 1, mean: 2.5, min: 1, max: 4 });
    expect(p.std).toBeCloseTo(1.290994, 6);
    expect(p.quantiles.map((q) => q.value)).toEqual([1.03, 1.15, 1.75, 2.5, 3.25, 3.85, 3.97]);
    // The ML library's in-memory definition gives the same figures for the same values.
    const ml = numericProfile([1, 2, 3, 4, null]);
    expect(ml.quantiles.map((q) => q.value).map((v) => +v.toFixed(10))).toEqual([
      1.03, 1.15, 1.75, 2.5, 3.25, 3.85, 3.97,
    ]);
    expect(ml.std).toBeCloseTo(p.std!, 12);
  });

  it('sums categories outside the top in other', () => {
    expect(
      categoryFromTop(10, 9, 4, [
        { value: 'a', count: 5 },
        { value: 'b', count: 2 },
      ]),
    ).toEqual({
      kind: 'category',
      count: 9,
      missing: 1,
      distinct: 4,
      top: [
        { value: 'a', count: 5 },
        { value: 'b', count: 2 },
      ],
      other: 2,
    });
  });
});
