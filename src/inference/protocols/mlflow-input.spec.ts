import { readMlflowBody } from './mlflow-input';

describe('readMlflowBody', () => {
  it('reads the four formats into the same records', () => {
    const rec = { a: 1, b: 'x' };
    const forms = [
      { dataframe_split: { columns: ['a', 'b'], data: [[1, 'x']] } },
      { dataframe_records: [rec] },
      { instances: [rec] },
      { inputs: [rec] },
      { inputs: { a: [1], b: ['x'] } },
    ];
    for (const body of forms)
      expect(readMlflowBody(body, 10).records.map((r) => ({ ...(r as object) }))).toEqual([rec]);
  });

  it('names errors after the format and refuses bad envelopes', () => {
    const input = readMlflowBody({ dataframe_split: { columns: ['a'], data: [[1], [2]] } }, 10);
    expect(input.field!(1, 'a')).toBe('dataframe_split.data[1].a');
    expect(() => readMlflowBody({ instances: [{}], inputs: [{}] }, 10)).toThrow(/exactly one/);
    expect(() => readMlflowBody({ dataframe_split: { columns: ['a'], data: [[1, 2]] } }, 10)).toThrow(/does not match/);
    expect(() => readMlflowBody({ inputs: { a: [1], b: [1, 2] } }, 10)).toThrow(/equal lengths|common length/);
    expect(() => readMlflowBody({ instances: [{}, {}] }, 1)).toThrow(/At most 1/);
    expect(() => readMlflowBody({ other: 1 }, 1)).toThrow(/Unknown body fields/);
  });

  it('keeps a column called __proto__ as plain data', () => {
    const [rec] = readMlflowBody({ dataframe_split: { columns: ['__proto__'], data: [[{ polluted: true }]] } }, 1)
      .records as Record<string, unknown>[];
    expect(Object.keys(rec)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
