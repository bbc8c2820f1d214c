import { binIndex, type BundleMeta } from '../../ml';
import { MINUTE_MS, BucketAccumulator } from './bucket-accumulator';
import { addAggregate, MAX_UNSEEN_VALUES, sumAggregates, type BucketAggregate } from './bucket-aggregate';
import { creditMeta, output, type Values } from '../../../test/support/bucket-fixture';
import { buildPlan } from './bucket-plan';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const { meta, rest } = creditMeta();
const traffic = rest.slice(0, 600);
const p = (i: number) => (i % 101) / 100;

function observe(
  acc: BucketAccumulator,
  rows: Values[],
  offset = 0,
  alias: string | null = 'production',
  at = T0 + 5_000,
  m: BundleMeta = meta,
) {
  // Requests of 1 to 3 records, as clients send them.
  for (let i = 0; i < rows.length;) {
    const n = 1 + ((i + offset) % 3);
    const values = rows.slice(i, i + n);
    acc.observe({
      model: 'credit',
      version: 1,
      alias,
      at,
      meta: m,
      values,
      outputs: values.map((_, j) => output(p(offset + i + j))),
    });
    i += n;
  }
}

const only = (acc: BucketAccumulator): BucketAggregate => {
  const sealed = acc.seal(T0 + MINUTE_MS);
  expect(sealed).toHaveLength(1);
  return sealed[0].aggregate;
};

describe('bucket accumulator', () => {
  it('two replicas’ buckets added are one replica seeing all the traffic', () => {
    const one = new BucketAccumulator();
    observe(one, traffic);
    const [a, b] = [new BucketAccumulator(), new BucketAccumulator()];
    observe(a, traffic.slice(0, 250));
    observe(b, traffic.slice(250), 250);
    const all = only(one);
    const added = addAggregate(only(a), only(b));
    // Counts are integers: exactly equal. Sums differ by the order of float additions only.
    const round = (x: unknown): unknown =>
      JSON.parse(JSON.stringify(x), (_, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v));
    expect(round(added)).toEqual(round(all));
    expect(added.rows).toBe(600);
    expect(added.numeric[0].counts).toEqual(all.numeric[0].counts);
  });

  it('counts each number in its reference bin, with its sum, and the sums of squares', () => {
    const acc = new BucketAccumulator();
    observe(acc, traffic);
    const agg = only(acc);
    const plan = buildPlan(meta);
    const income = plan.numeric.findIndex((n) => n.name === 'Income');
    const edges = plan.numeric[income].edges;
    const values = traffic.map((r) => r.Income).filter((v): v is number => typeof v === 'number');
    const expected = new Array<number>(edges.length - 1).fill(0);
    for (const v of values) {
      const bin = binIndex(edges, v);
      if (bin >= 0 && bin < expected.length) expected[bin]++;
    }
    const n = agg.numeric[income];
    expect(n.counts).toEqual(expected);
    expect(n.missing).toBe(traffic.length - values.length);
    expect(n.missing).toBeGreaterThan(0); // credit_data has missing incomes
    const total = n.sums.reduce((s, x) => s + x, 0) + n.belowSum + n.aboveSum;
    expect(total).toBeCloseTo(
      values.reduce((s, x) => s + x, 0),
      6,
    );
    expect(n.squares).toBeCloseTo(
      values.reduce((s, x) => s + x * x, 0),
      3,
    );
  });

  it('counts values outside the training range below and above the edges, with their sums', () => {
    const acc = new BucketAccumulator();
    const income = meta.referenceProfile.features.find((f) => f.name === 'Income')!.profile;
    const { min, max } = income as { min: number; max: number };
    observe(acc, [
      { ...traffic[0], Income: min - 10 },
      { ...traffic[0], Income: max + 5 },
      { ...traffic[0], Income: max },
    ]);
    const n = only(acc).numeric.find((x) => x.name === 'Income')!;
    expect([n.below, n.belowSum, n.above, n.aboveSum]).toEqual([1, min - 10, 1, max + 5]);
    expect(n.counts[n.counts.length - 1]).toBeGreaterThanOrEqual(1); // the max is in the last (closed) bin
  });

  it('counts categories per reference value, missing apart, unseen values by value up to the bound', () => {
    const acc = new BucketAccumulator();
    const unseen = Array.from({ length: MAX_UNSEEN_VALUES + 5 }, (_, i) => ({ ...traffic[0], Home: `castle${i}` }));
    observe(acc, [
      ...traffic.slice(0, 10),
      { ...traffic[0], Home: null },
      ...unseen,
      { ...traffic[0], Home: 'castle0' },
    ]);
    const plan = buildPlan(meta);
    const home = only(acc).categories.find((c) => c.name === 'Home')!;
    const planHome = plan.categories.find((c) => c.name === 'Home')!;
    const rent = traffic.slice(0, 10).filter((r) => r.Home === 'rent').length;
    expect(rent).toBeGreaterThan(0);
    expect(home.counts[planHome.index.get('rent')!]).toBe(rent);
    expect(home.missing).toBe(1);
    expect(home.unseen).toHaveLength(MAX_UNSEEN_VALUES);
    expect(home.unseen[0]).toEqual(['castle0', 2]);
    expect(home.unseenOther).toBe(5);
  });

  it('merging keeps the most frequent unseen values and counts the rest, so totals never change', () => {
    const [a, b] = [new BucketAccumulator(), new BucketAccumulator()];
    observe(
      a,
      Array.from({ length: 15 }, (_, i) => ({ ...traffic[0], Home: `a${i}` })),
    );
    observe(b, [
      ...Array.from({ length: 15 }, (_, i) => ({ ...traffic[0], Home: `b${i}` })),
      { ...traffic[0], Home: 'b0' },
    ]);
    const home = addAggregate(only(a), only(b)).categories.find((c) => c.name === 'Home')!;
    expect(home.unseen).toHaveLength(MAX_UNSEEN_VALUES);
    expect(home.unseen[0]).toEqual(['b0', 2]);
    expect(home.unseen.reduce((s, [, c]) => s + c, 0) + home.unseenOther).toBe(31);
  });

  it('counts predicted labels and the positive class probability on 100 equal-width bins with sums', () => {
    const acc = new BucketAccumulator();
    observe(acc, traffic.slice(0, 101));
    const { prediction } = only(acc);
    expect(prediction.probabilities).toHaveLength(1);
    const h = prediction.probabilities[0];
    expect(h.class).toBe('good');
    expect(h.counts).toHaveLength(100);
    expect(h.counts[0]).toBe(1); // p = 0
    expect(h.counts[99]).toBe(2); // 0.99 and 1
    expect(h.sums[99]).toBeCloseTo(1.99, 12);
    expect(prediction.classes).toEqual([50, 51]); // bad, good (p ≥ 0.5)
  });

  it('one bucket per version, alias as served and UTC minute; only ended minutes are sealed unless all', () => {
    const acc = new BucketAccumulator();
    observe(acc, traffic.slice(0, 3), 0, 'production', T0 + 1_000);
    observe(acc, traffic.slice(0, 3), 0, 'canary', T0 + 1_000);
    observe(acc, traffic.slice(0, 3), 0, null, T0 + 1_000);
    observe(acc, traffic.slice(0, 3), 0, 'production', T0 + MINUTE_MS + 1);
    expect(acc.size).toBe(4);
    const ended = acc.seal(T0 + MINUTE_MS + 2);
    expect(ended.map((b) => [b.alias, b.minute, b.aggregate.rows])).toEqual([
      ['production', T0, 3],
      ['canary', T0, 3],
      [null, T0, 3],
    ]);
    expect(new Set(ended.map((b) => b.id)).size).toBe(3);
    const rest = acc.seal(T0 + MINUTE_MS + 3, true);
    expect(rest.map((b) => b.minute)).toEqual([T0 + MINUTE_MS]);
    expect(acc.size).toBe(0);
  });

  it('an older bundle (decile bins without sums, 20 categories) is counted on its own bins', () => {
    const old = creditMeta(1500, true).meta;
    const plan = buildPlan(old);
    const amount = plan.numeric.find((n) => n.name === 'Amount')!;
    expect(amount.edges).toEqual(
      Float64Array.from(
        (old.referenceProfile.features.find((f) => f.name === 'Amount')!.profile as { histogram: { edges: number[] } })
          .histogram.edges,
      ),
    );
    expect(amount.edges.length).toBeLessThanOrEqual(11);
    const acc = new BucketAccumulator();
    const values = traffic.slice(0, 30);
    observe(acc, values, 0, null, T0, old);
    const agg = only(acc);
    expect(agg.numeric.find((n) => n.name === 'Amount')!.counts).toHaveLength(amount.edges.length - 1);
    expect(agg.rows).toBe(30);
    expect(sumAggregates([agg, agg])!.rows).toBe(60);
  });

  it('a category beyond the profile’s list that the model knows is counted, not unseen', () => {
    const old = creditMeta(1500, true).meta;
    const home = old.referenceProfile.features.find((f) => f.name === 'Home')!.profile;
    if (home.kind !== 'category') throw new Error('Home is a category');
    const [first, second, ...beyond] = home.top;
    // As an older profile lists only the most frequent values and sums the rest in `other`.
    home.top = [first, second];
    home.other = beyond.reduce((s, t) => s + t.count, 0);
    const plan = buildPlan(old).categories.find((c) => c.name === 'Home')!;
    expect(plan.listed).toBe(2);
    const acc = new BucketAccumulator();
    const values = [
      { ...traffic[0], Home: beyond[0].value },
      { ...traffic[0], Home: 'castle' },
    ];
    observe(acc, values, 0, null, T0, old);
    const agg = only(acc).categories.find((c) => c.name === 'Home')!;
    expect(agg.counts[plan.index.get(beyond[0].value)!]).toBe(1);
    expect(plan.index.get(beyond[0].value)).toBeGreaterThanOrEqual(2);
    expect(agg.unseen).toEqual([['castle', 1]]);
  });

  it('refuses to add buckets of different layouts', () => {
    const a = new BucketAccumulator();
    observe(a, traffic.slice(0, 3));
    const x = only(a);
    const y = structuredClone(x);
    y.numeric[0].counts.push(0);
    expect(() => addAggregate(x, y)).toThrow(/different layouts/);
  });
});
