import { fitPreprocessing, isUnknownCategory, transform } from './preprocessing';
import type { ColumnSpec } from './schema';

const columns: ColumnSpec[] = [
  { name: 'x', type: 'number', nullable: true },
  { name: 'b', type: 'boolean', nullable: false },
  { name: 'c', type: 'category', nullable: true },
  { name: 'note', type: 'text', nullable: true },
];
const train = [
  { x: 1, b: true, c: 'b', note: 'n' },
  { x: 3, b: false, c: 'a', note: 'n' },
  { x: null, b: true, c: 'b', note: null },
  { x: 5, b: true, c: null, note: 'n' },
];

describe('preprocessing', () => {
  const params = fitPreprocessing(train, columns);

  it('fits median, mean, std, booleans and sorted categories on the training rows', () => {
    // x present: 1, 3, 5 → median 3, mean 3, population std √(8/3); missing seen → indicator
    expect(params.features[0]).toEqual({
      name: 'x',
      kind: 'numeric',
      log: false,
      median: 3,
      mean: 3,
      std: Math.sqrt(8 / 3),
      indicator: true,
    });
    expect(params.features[1]).toEqual({
      name: 'b',
      kind: 'boolean',
      fill: 0.75,
      indicator: false,
    });
    expect(params.features[2]).toEqual({
      name: 'c',
      kind: 'category',
      categories: ['a', 'b'],
      missingSlot: true,
    });
    expect(params.featureNames).toEqual(['x', 'x=__missing__', 'b', 'c=a', 'c=b', 'c=__unknown__', 'c=__missing__']);
  });

  it('encodes values, missing values and unknown categories', () => {
    const out = transform(params, [
      { x: 1, b: false, c: 'a' },
      { x: null, b: true, c: 'zzz' },
      { c: null, b: true, x: 3 },
    ]);
    const z = -2 / Math.sqrt(8 / 3); // (1 − 3) / std = −1.224745
    expect(Array.from(out.subarray(0, 7))).toEqual([Math.fround(z), 0, 0, 1, 0, 0, 0]);
    expect(Array.from(out.subarray(7, 14))).toEqual([0, 1, 1, 0, 0, 1, 0]); // median → 0, unknown slot
    expect(Array.from(out.subarray(14, 21))).toEqual([0, 0, 1, 0, 0, 0, 1]); // missing slot
    expect(isUnknownCategory(params, 'c', 'zzz')).toBe(true);
    expect(isUnknownCategory(params, 'c', 'a')).toBe(false);
  });

  it('does not depend on key order and ignores prototype keys', () => {
    const a = transform(params, [{ x: 5, b: true, c: 'b' }]);
    const b = transform(params, [JSON.parse('{"c":"b","__proto__":{"x":1},"b":true,"x":5}')]);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('log-transforms a heavily skewed non-negative column', () => {
    // nine zeros and 1000: skewness (population moments) = 8/3 > 2
    const rows = [...Array.from({ length: 9 }, () => ({ v: 0 })), { v: 1000 }];
    const p = fitPreprocessing(rows, [{ name: 'v', type: 'integer', nullable: false }]);
    expect(p.features[0]).toMatchObject({ kind: 'numeric', log: true, median: 0 });
    expect(p.features[0]).toMatchObject({ mean: Math.log1p(1000) / 10 });
  });
});
