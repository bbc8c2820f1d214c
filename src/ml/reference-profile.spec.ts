import { PROBABILITY_BINS } from './quality/histogram';
import type { NumericProfile } from './profile';
import { buildReferenceProfile, REFERENCE_BINS } from './reference-profile';
import type { ColumnSpec } from './schema';

const columns: ColumnSpec[] = [
  { name: 'x', type: 'number', nullable: true },
  { name: 'c', type: 'category', nullable: false },
  { name: 't', type: 'text', nullable: false },
];
const records = Array.from({ length: 1000 }, (_, i) => ({
  x: i % 50 === 0 ? null : i,
  c: `v${i % 30}`,
  t: 'free text',
}));

describe('reference profile', () => {
  const probabilities = Array.from({ length: 200 }, (_, i) => i / 199);
  const profile = buildReferenceProfile(columns, records, probabilities, true);
  const x = profile.features.find((f) => f.name === 'x')!.profile as NumericProfile;

  it('numbers: REFERENCE_BINS quantile bins from min to max, with the sum of the values in each', () => {
    const h = x.histogram!;
    expect(h.edges).toHaveLength(REFERENCE_BINS + 1);
    expect([h.edges[0], h.edges[REFERENCE_BINS]]).toEqual([x.min, x.max]);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(980);
    const present = records.flatMap((r) => (r.x === null ? [] : [r.x]));
    const inFirst = present.filter((v) => v < h.edges[1]);
    expect(h.counts[0]).toBe(inFirst.length);
    expect(h.sums![0]).toBe(inFirst.reduce((a, b) => a + b, 0));
    expect(h.sums!.reduce((a, b) => a + b, 0)).toBe(present.reduce((a, b) => a + b, 0));
    expect([x.missing, profile.rows]).toEqual([20, 1000]);
  });

  it('categories: every value up to 100 with its count; text columns left out', () => {
    const c = profile.features.find((f) => f.name === 'c')!.profile;
    expect(c).toMatchObject({ kind: 'category', distinct: 30, other: 0 });
    expect(c.kind === 'category' && c.top).toHaveLength(30);
    expect(profile.features.map((f) => f.name)).toEqual(['x', 'c']);
  });

  it('a binary model’s prediction: PROBABILITY_BINS equal-width bins over [0, 1] with sums', () => {
    const h = profile.prediction.histogram!;
    expect(h.counts).toHaveLength(PROBABILITY_BINS);
    expect(h.edges[1]).toBeCloseTo(1 / PROBABILITY_BINS, 12);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(200);
    expect(h.counts[PROBABILITY_BINS - 1]).toBe(2); // 198/199 and 1 (closed last bin)
    expect(h.sums![PROBABILITY_BINS - 1]).toBeCloseTo(198 / 199 + 1, 12);
  });

  it('a regression model’s prediction: quantile bins of the values with sums', () => {
    const values = Array.from({ length: 300 }, (_, i) => i * 2.5);
    const h = buildReferenceProfile(columns, records, values, false).prediction.histogram!;
    expect(h.counts).toHaveLength(REFERENCE_BINS);
    expect(h.sums!.reduce((a, b) => a + b, 0)).toBeCloseTo(
      values.reduce((a, b) => a + b, 0),
      9,
    );
  });

  it('a number with few distinct values: one bin per value (edges halfway between), the values kept', () => {
    const few = buildReferenceProfile(
      [{ name: 'n', type: 'integer', nullable: false }],
      Array.from({ length: 100 }, (_, i) => ({ n: [0, 2, 3][i % 3] })),
      [],
      true,
    ).features[0].profile as NumericProfile;
    expect(few.values).toEqual([0, 2, 3]);
    expect(few.histogram).toMatchObject({ edges: [0, 1, 2.5, 3], counts: [34, 33, 33], sums: [0, 66, 99] });
    expect(x.values).toBeUndefined();
  });
});
