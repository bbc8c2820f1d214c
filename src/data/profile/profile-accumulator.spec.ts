import { categoryProfile, numericProfile, PROFILE_QUANTILES, mulberry32, type DatasetSchema } from '../../ml';
import {
  MAX_NUMERIC_DISTINCT,
  MAX_TOTAL_ENTRIES,
  ProfileAccumulator,
  compareCodePoints,
  topOf,
} from './profile-accumulator';
import { moments } from './profile-query';
import { histogramFromFrequencies, quantilesFromFrequencies } from './frequencies';

const schema: DatasetSchema = {
  columns: [
    { name: 'x', type: 'number', nullable: true },
    { name: 'c', type: 'category', nullable: true },
    { name: 'b', type: 'boolean', nullable: true },
  ],
};

describe('ProfileAccumulator', () => {
  it('gives the ML library profile of the same values (numbers, texts as COPY reads them, categories, booleans)', () => {
    const rnd = mulberry32(7);
    const acc = new ProfileAccumulator(schema);
    const xs: (number | null)[] = [];
    const cs: (string | null)[] = [];
    const bs: (string | null)[] = [];
    for (let i = 0; i < 5000; i++) {
      const x = rnd() < 0.1 ? null : Math.round(rnd() * 1000) / 8 - 20;
      const c = rnd() < 0.05 ? null : `k${Math.floor(rnd() * 40)}`;
      const b = rnd() < 0.1 ? null : rnd() < 0.3;
      xs.push(x);
      cs.push(c);
      bs.push(b === null ? null : String(b));
      // Half the numbers arrive as their plain text (RowEncoder's fast path).
      acc.addRow([x !== null && i % 2 ? String(x) : x, c, b]);
    }
    expect(acc.rows).toBe(5000);
    const s = acc.columns[0];
    if (s.kind !== 'numeric') throw new Error('numeric expected');
    const freq = ProfileAccumulator.numericFrequencies(s)!;
    const qs = quantilesFromFrequencies(freq, [...PROFILE_QUANTILES]);
    const ml = numericProfile(xs);
    const m = moments(s);
    expect(m.count).toBe(ml.count);
    expect([m.min, m.max]).toEqual([ml.min, ml.max]);
    expect(Math.abs(m.mean! - ml.mean!) / Math.abs(ml.mean!)).toBeLessThan(1e-12);
    expect(Math.abs(m.std! - ml.std!) / ml.std!).toBeLessThan(1e-12);
    expect(qs).toEqual(ml.quantiles.map((q) => q.value));
    const edges = [-20, 0, 50, 100];
    expect(histogramFromFrequencies(freq, edges)).toEqual(numericProfile(xs, edges).histogram);
    for (const [k, values] of [
      [1, cs],
      [2, bs],
    ] as const) {
      const st = acc.columns[k];
      if (st.kind !== 'category') throw new Error('category expected');
      const mlc = categoryProfile(values, 20);
      expect(st.count).toBe(mlc.count);
      expect(st.freq!.size).toBe(mlc.distinct);
      expect(topOf(st.freq!, 20)).toEqual(mlc.top);
    }
  });

  it('sample std by hand, and none below two values (stddev_samp)', () => {
    const acc = new ProfileAccumulator(schema);
    for (const x of [1, 2, 3, 4]) acc.addRow([x, null, null]);
    const s = acc.columns[0];
    if (s.kind !== 'numeric') throw new Error('numeric expected');
    expect(moments(s)).toEqual({ count: 4, mean: 2.5, std: Math.sqrt(5 / 3), min: 1, max: 4 });
    const one = new ProfileAccumulator(schema);
    one.addRow([7, null, null]);
    expect(moments(one.columns[0] as never)).toEqual({ count: 1, mean: 7, std: null, min: 7, max: 7 });
  });

  it('drops the frequencies of a column past the cap, keeping count, min, max, mean', () => {
    const acc = new ProfileAccumulator(schema);
    for (let i = 0; i <= MAX_NUMERIC_DISTINCT; i++) acc.addRow([i, 'a', null]);
    const s = acc.columns[0];
    if (s.kind !== 'numeric') throw new Error('numeric expected');
    expect(s.freq).toBeNull();
    expect(moments(s)).toMatchObject({
      count: MAX_NUMERIC_DISTINCT + 1,
      min: 0,
      max: MAX_NUMERIC_DISTINCT,
      mean: MAX_NUMERIC_DISTINCT / 2,
    });
  });

  it('bounds the frequencies of a wide schema as a whole', () => {
    const wide: DatasetSchema = {
      columns: Array.from({ length: 30 }, (_, i) => ({ name: `x${i}`, type: 'integer' as const, nullable: false })),
    };
    const acc = new ProfileAccumulator(wide);
    const row = new Array<number>(30);
    for (let r = 0; r < 19_000; r++) {
      row.fill(r);
      acc.addRow(row);
    }
    const held = acc.columns.reduce((n, c) => n + (c.freq?.size ?? 0), 0);
    expect(held).toBeLessThanOrEqual(MAX_TOTAL_ENTRIES);
    expect(acc.columns.filter((c) => c.freq === null).length).toBeGreaterThan(0);
    // Every column still has its moments, with or without its map.
    expect(acc.columns.every((c) => c.kind === 'numeric' && c.count === 19_000 && c.max === 18_999)).toBe(true);
  });

  it('orders ties by code point, as COLLATE "C" on UTF-8', () => {
    const astral = '\u{1F600}'; // a surrogate pair in UTF-16, but above U+FFFF
    const high = '\uFF21'; // fullwidth A, below it in code points, above it in UTF-16 units
    expect(high < astral).toBe(false);
    expect(compareCodePoints(high, astral)).toBeLessThan(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('b', 'a')).toBeGreaterThan(0);
    expect(
      topOf(
        new Map([
          [astral, 2],
          [high, 2],
          ['z', 3],
        ]),
        20,
      ),
    ).toEqual([
      { value: 'z', count: 3 },
      { value: high, count: 2 },
      { value: astral, count: 2 },
    ]);
  });
});
