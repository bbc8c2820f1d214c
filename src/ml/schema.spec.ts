import { coerceFeature, inferSchema, markQuoted, parseCell, type ColumnSpec } from './schema';

const NA = new Set(['NA']);
const col = (type: ColumnSpec['type'], nullable = false, categories?: string[]): ColumnSpec => ({
  name: 'c',
  type,
  nullable,
  categories,
});

describe('parseCell (CSV import)', () => {
  it('parses numbers in plain decimal notation only', () => {
    expect(parseCell('1.5e3', col('number'), NA)).toEqual({ ok: true, value: 1500 });
    expect(parseCell(' -2 ', col('number'), NA)).toEqual({ ok: true, value: -2 });
    for (const bad of ['0x10', 'Infinity', 'NaN', '1,5', 'abc', '1e400'])
      expect(parseCell(bad, col('number'), NA).ok).toBe(false);
  });

  it('integers must be integral and safe', () => {
    expect(parseCell('42', col('integer'), NA)).toEqual({ ok: true, value: 42 });
    expect(parseCell('3.0', col('integer'), NA)).toEqual({ ok: true, value: 3 });
    expect(parseCell('3.5', col('integer'), NA).ok).toBe(false);
    expect(parseCell('9007199254740993', col('integer'), NA).ok).toBe(false);
  });

  it('booleans accept true/false and 1/0', () => {
    expect(parseCell('TRUE', col('boolean'), NA)).toEqual({ ok: true, value: true });
    expect(parseCell('0', col('boolean'), NA)).toEqual({ ok: true, value: false });
    expect(parseCell('yes', col('boolean'), NA).ok).toBe(false);
  });

  it('missing tokens and empty cells are null only when nullable', () => {
    expect(parseCell('NA', col('number', true), NA)).toEqual({ ok: true, value: null });
    expect(parseCell('', col('category', true), NA)).toEqual({ ok: true, value: null });
    expect(parseCell(null, col('text'), NA).ok).toBe(false);
    expect(parseCell('NA', col('number'), NA).ok).toBe(false);
  });

  it('rejects a category outside a fixed list', () => {
    expect(parseCell('red', col('category', false, ['red', 'blue']), NA)).toEqual({
      ok: true,
      value: 'red',
    });
    expect(parseCell('green', col('category', false, ['red', 'blue']), NA).ok).toBe(false);
    expect(parseCell('green', col('category'), NA).ok).toBe(true);
  });
});

describe('coerceFeature (JSON request)', () => {
  it('numbers must be finite JSON numbers', () => {
    expect(coerceFeature(2.5, col('number'))).toEqual({ ok: true, value: 2.5 });
    expect(coerceFeature('2.5', col('number')).ok).toBe(false);
    expect(coerceFeature(Number.NaN, col('number')).ok).toBe(false);
    expect(coerceFeature(2.5, col('integer')).ok).toBe(false);
  });

  it('booleans only as JSON booleans', () => {
    expect(coerceFeature(false, col('boolean'))).toEqual({ ok: true, value: false });
    expect(coerceFeature(1, col('boolean')).ok).toBe(false);
  });

  it('categories: strings, numbers as their string form, unknown values accepted', () => {
    expect(coerceFeature(7, col('category'))).toEqual({ ok: true, value: '7' });
    expect(coerceFeature('green', col('category', false, ['red']))).toEqual({
      ok: true,
      value: 'green',
    });
    expect(coerceFeature({}, col('category')).ok).toBe(false);
  });

  it('null or absent only when nullable', () => {
    expect(coerceFeature(undefined, col('number', true))).toEqual({ ok: true, value: null });
    expect(coerceFeature(null, col('number')).ok).toBe(false);
  });
});

describe('inferSchema', () => {
  it('infers types and nullability from sample rows', () => {
    const q = (text: string) => markQuoted(text, { quoting: true });
    const rows = [
      [q('good'), '1', '2.5', 'true', 'x1', 'NA'],
      [q('bad'), '2', '3', 'false', 'x2', '4'],
      [q('good'), 'NA', '1e2', 'TRUE', 'x3', '5'],
    ];
    const schema = inferSchema(['s', 'i', 'n', 'b', 't', 'm'], rows, NA, { maxCategories: 2 });
    expect(schema.columns.map((c) => `${c.name}:${c.type}:${c.nullable}`)).toEqual([
      's:category:false',
      'i:integer:true',
      'n:number:false',
      'b:boolean:false',
      't:text:false', // 3 distinct unquoted values > maxCategories 2
      'm:integer:true',
    ]);
  });
});
