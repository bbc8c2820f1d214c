import type { DatasetSchema } from '../../ml/schema';
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
