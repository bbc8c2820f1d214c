import { explainRecords, referenceRecord } from './explain';

describe('explainRecords', () => {
  const reference = { a: 1, b: 10, c: 'x' };
  const features = ['a', 'b', 'c'];

  it('is exact for an additive model: contributions sum to value − baseline', () => {
    const score = (rows: Record<string, unknown>[]) =>
      rows.map((r) => 2 * (r.a as number) + 0.5 * (r.b as number) + (r.c === 'y' ? 3 : 0));
    const [e] = explainRecords([{ a: 4, b: 20, c: 'y' }], reference, features, score);
    expect(e.baseline).toBe(7);
    expect(e.value).toBe(21);
    expect(e.contributions).toEqual({ a: 6, b: 5, c: 3 });
    expect(e.residual).toBeCloseTo(0, 12);
  });

  it('reports what interactions leave unexplained in the residual', () => {
    const score = (rows: Record<string, unknown>[]) => rows.map((r) => (r.a as number) * (r.b as number));
    const [e] = explainRecords([{ a: 2, b: 20, c: 'x' }], reference, features, score);
    // value 40, baseline 10; a: 40 − 20 = 20, b: 40 − 20 = 20, c: 0 → residual −10.
    expect(e).toEqual({ value: 40, baseline: 10, contributions: { a: 20, b: 20, c: 0 }, residual: -10 });
  });

  it('tells the scorer which record each row belongs to', () => {
    const owners: number[][] = [];
    explainRecords([{ a: 1 }, { a: 2 }], reference, ['a'], (rows, owner) => (owners.push(owner), rows.map(() => 0)));
    expect(owners).toEqual([[0, 0, 0, 1, 1, 1]]);
  });
});

describe('referenceRecord', () => {
  it('takes medians of numbers (back from log space), modes of categories and booleans', () => {
    const ref = referenceRecord({
      signature: {
        features: [
          { name: 'n', type: 'integer', nullable: false },
          { name: 'l', type: 'number', nullable: false },
          { name: 'c', type: 'category', nullable: false },
          { name: 'b', type: 'boolean', nullable: false },
        ],
        target: { name: 't', type: 'number', task: 'regression' },
      },
      preprocessing: {
        features: [
          { name: 'n', kind: 'numeric', log: false, median: 3.4, mean: 0, std: 1, indicator: false },
          { name: 'l', kind: 'numeric', log: true, median: Math.log1p(99), mean: 0, std: 1, indicator: false },
          { name: 'c', kind: 'category', categories: ['p', 'q'], missingSlot: false },
          { name: 'b', kind: 'boolean', fill: 0.7, indicator: false },
        ],
        featureNames: [],
      },
      referenceProfile: {
        rows: 1,
        features: [
          {
            name: 'c',
            type: 'category',
            profile: { kind: 'category', count: 1, missing: 0, distinct: 2, top: [{ value: 'q', count: 9 }], other: 0 },
          },
        ],
        prediction: undefined as never,
      },
    });
    expect({ ...ref, l: undefined }).toEqual({ n: 3, l: undefined, c: 'q', b: true });
    expect(ref.l).toBeCloseTo(99, 9);
  });
});
