import { DEFAULT_DRIFT, drifter, unseenValue } from './drift';
import type { FeatureSpec } from './signature';

const FEATURES: FeatureSpec[] = [
  { name: 'Age', kind: 'integer', nullable: false },
  { name: 'Income', kind: 'number', nullable: true },
  { name: 'Home', kind: 'category', nullable: false, categories: ['rent', 'owner', 'unseen-home-1'] },
  { name: 'Flag', kind: 'boolean', nullable: false },
  { name: 'Note', kind: 'text', nullable: false },
];
const STATS = { Age: { mean: 40, sd: 10 }, Income: { mean: 130, sd: 20.2 } };
const ROW = { Age: 30, Income: 100, Home: 'rent', Flag: true, Note: 'n' };

describe('drifter', () => {
  it('shifts numeric features by 1.5 sd (integers rounded), leaves booleans, text and missing values', () => {
    const shift = drifter(FEATURES, STATS, { ...DEFAULT_DRIFT, unseenShare: 0 });
    expect(shift(ROW)).toEqual({ Age: 45, Income: 100 + 1.5 * 20.2, Home: 'rent', Flag: true, Note: 'n' });
    expect(shift({ ...ROW, Income: null }).Income).toBeNull();
    expect(shift({ ...ROW, Age: 31 }).Age).toBe(46);
    expect(drifter(FEATURES, { ...STATS, Age: { mean: 0, sd: 0.9 } }, DEFAULT_DRIFT)({ ...ROW }).Age).toBe(31);
  });

  it('replaces about the share of category values with a few unseen ones, never a training category', () => {
    const shift = drifter(FEATURES, STATS, { shiftSd: 0, unseenShare: 0.25, unseenValues: 3 }, 5);
    const homes = Array.from({ length: 4000 }, () => shift(ROW).Home);
    const unseen = homes.filter((h) => h !== 'rent');
    expect(unseen.length / homes.length).toBeGreaterThan(0.22);
    expect(unseen.length / homes.length).toBeLessThan(0.28);
    expect([...new Set(unseen)].sort()).toEqual(['unseen-home-1_', 'unseen-home-2', 'unseen-home-3']);
  });

  it('does not change the row it is given, and draws the same way for the same seed', () => {
    const row = { ...ROW };
    const a = drifter(FEATURES, STATS, DEFAULT_DRIFT, 9);
    const b = drifter(FEATURES, STATS, DEFAULT_DRIFT, 9);
    const drawn = Array.from({ length: 50 }, () => a(row).Home);
    expect(Array.from({ length: 50 }, () => b(row).Home)).toEqual(drawn);
    expect(row).toEqual(ROW);
  });

  it('unseenValue avoids the training categories', () => {
    expect(unseenValue(FEATURES[2], 2)).toBe('unseen-home-2');
    expect(unseenValue(FEATURES[2], 1)).toBe('unseen-home-1_');
  });
});
