import type { DatasetSchema } from '../../ml/schema';
import { parseCell } from '../../ml/schema';
import { encodeCopyValue } from '../copy/copy-text';
import { RowEncoder, type Rejection } from './row-encoder';

const schema: DatasetSchema = {
  columns: [
    { name: 'n', type: 'number', nullable: true },
    { name: 'i', type: 'integer', nullable: false },
    { name: 'b', type: 'boolean', nullable: true },
    { name: 'cat', type: 'category', nullable: false, categories: ['good', 'bad'] },
    { name: 't', type: 'text', nullable: true },
  ],
};
const VID = '00000000-0000-4000-8000-000000000001';

function encoder() {
  const rejected: Rejection[] = [];
  const enc = new RowEncoder(schema, [4, 3, 2, 1, 0], VID, new Set(['NA', 'null']), (r) => rejected.push(r));
  return { enc, rejected };
}

describe('RowEncoder', () => {
  it('writes accepted rows as COPY lines with a running row number, fields reordered', () => {
    const { enc, rejected } = encoder();
    // file order: t, cat, b, i, n
    expect(enc.encode(['hello\tworld', 'good', 'true', '7', '1.5'], 2)).toBe(`${VID}\t1\t1.5\t7\tt\tgood\thello\\tworld\n`);
    expect(enc.encode(['', 'bad', 'NA', '-3', 'null'], 3)).toBe(`${VID}\t2\t\\N\t-3\t\\N\tbad\t\\N\n`);
    expect(rejected).toEqual([]);
    expect(enc.accepted).toBe(2);
  });

  it('rejects a row with every bad cell named, and does not number it', () => {
    const { enc, rejected } = encoder();
    expect(enc.encode(['x', 'ugly', 'maybe', 'NA', 'abc'], 5)).toBe('');
    expect(rejected).toEqual([
      { line: 5, column: 'n', value: 'abc', reason: 'not a number: abc' },
      { line: 5, column: 'i', value: 'NA', reason: 'missing value in a non-nullable column' },
      { line: 5, column: 'b', value: 'maybe', reason: expect.stringMatching(/not a boolean/) },
      { line: 5, column: 'cat', value: 'ugly', reason: 'unknown category: ugly' },
    ]);
    expect(enc.rejectedRows).toBe(1);
    expect(enc.encode(['', 'good', '', '2.5', '1'], 6)).toBe(''); // 2.5 is not an integer
    expect(rejected[4]).toMatchObject({ column: 'i', reason: 'not an integer' });
    expect(enc.encode(['', 'good', '', '1', '1'], 7)).toMatch(new RegExp(`^${VID}\\t1\\t`));
  });
});

describe('RowEncoder fast paths agree with parseCell', () => {
  it('gives the same COPY text as the parseCell path for every kind of cell', () => {
    const cells: [string, string][] = [
      ['n', '007'], ['n', '-1.50'], ['n', '1e3'], ['n', ' 2 '], ['n', '.5'], ['n', '1234567890123456789'], ['n', '0x10'], ['n', 'Infinity'],
      ['i', '42'], ['i', '-0'], ['i', '12345678901234567'], ['i', '1.0'], ['i', '1e2'], ['i', ' 3'],
      ['cat', 'good'], ['cat', 'Good'], ['t', 'a\tb'], ['t', 'NA'], ['t', 'null'], ['t', ''],
    ];
    for (const [col, raw] of cells) {
      const rejected: Rejection[] = [];
      const enc = new RowEncoder(schema, [0, 1, 2, 3, 4], VID, new Set(['NA', 'null']), (r) => rejected.push(r));
      const fields = ['1', '1', '', 'good', 'x'];
      fields[['n', 'i', 'b', 'cat', 't'].indexOf(col)] = raw;
      const line = enc.encode(fields, 2);
      const spec = schema.columns.find((c) => c.name === col)!;
      const expected = parseCell(raw, spec, new Set(['NA', 'null']));
      if (!expected.ok) {
        expect(line).toBe('');
        expect(rejected[0].reason).toBe(expected.reason);
        continue;
      }
      const cell = line.trimEnd().split('\t')[2 + ['n', 'i', 'b', 'cat', 't'].indexOf(col)];
      // Same value once PostgreSQL reads the text: numbers compare as numbers, the rest as COPY text.
      if (typeof expected.value === 'number') expect(Number(cell)).toBe(expected.value);
      else expect(cell).toBe(encodeCopyValue(expected.value));
    }
  });
});
