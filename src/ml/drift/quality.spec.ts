import { binCounts } from './bins';
import { categoryQuality, numericQuality } from './quality';

describe('data quality rates', () => {
  it('missing over all rows, out of range over present values', () => {
    // training range [0, 10]; window: 2 missing, −1 and 12 outside, 3 inside
    const bins = binCounts([-1, 0, 5, 10, 12, null, Number.NaN], [0, 5, 10]);
    expect(numericQuality(bins, 2)).toEqual({ rows: 7, missingRate: 2 / 7, outOfRangeRate: 2 / 5 });
  });

  it('an all-missing column has a missing rate of 1 and no out-of-range rate', () => {
    expect(numericQuality(binCounts([null, null], [0, 1]), 2)).toEqual({
      rows: 2,
      missingRate: 1,
      outOfRangeRate: null,
    });
    expect(categoryQuality(0, 3, 0)).toEqual({ rows: 3, missingRate: 1, unknownRate: null });
  });

  it('unknown categories over present values; an empty window has no rates', () => {
    expect(categoryQuality(8, 2, 2)).toEqual({ rows: 10, missingRate: 0.2, unknownRate: 0.25 });
    expect(categoryQuality(0, 0, 0)).toEqual({ rows: 0, missingRate: null, unknownRate: null });
  });
});
