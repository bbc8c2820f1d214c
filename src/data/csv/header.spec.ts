import { checkInferredHeader, matchHeader } from './header';

const schema = {
  columns: [
    { name: 'a', type: 'number' as const, nullable: false },
    { name: 'b c', type: 'text' as const, nullable: true },
  ],
};

describe('matchHeader', () => {
  it('maps schema columns to file fields in any order', () => {
    expect(matchHeader(schema, ['b c', 'a'])).toEqual({ ok: true, order: [1, 0] });
  });
  it('names missing, unknown and repeated columns', () => {
    const res = matchHeader(schema, ['a', 'zz', 'a']);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.noHeader).toBe(false);
    expect(res.details).toEqual([
      { field: 'a', message: 'column appears twice in the header', line: 1, column: 3 },
      { field: 'b c', message: 'column missing from the header', line: 1 },
      { field: 'zz', message: 'unknown column (not in the dataset schema)', line: 1, column: 2 },
    ]);
  });
  it('reports a data line in place of the header as no header', () => {
    const res = matchHeader(schema, ['1', 'x']);
    expect(res).toMatchObject({ ok: false, noHeader: true });
  });
});

describe('checkInferredHeader', () => {
  it('refuses numeric or empty names and duplicates', () => {
    expect(checkInferredHeader(['x', 'y'])).toEqual([]);
    expect(checkInferredHeader(['12', 'y', 'y', ''])).toEqual([
      expect.objectContaining({ column: 1, message: expect.stringMatching(/no header/) }),
      expect.objectContaining({ column: 3, message: 'column appears twice in the header' }),
      expect.objectContaining({ column: 4 }),
    ]);
  });
});
