import { type DatasetSchema, parseCell } from '../../ml';
import { encodeCopyValue } from '../copy/copy-text';
import { CopyBuffer } from '../copy/copy-buffer';
import { CsvParser } from '../csv/csv-parser';
import { ProfileAccumulator } from '../profile/profile-accumulator';
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
    expect(enc.encode(['hello\tworld', 'good', 'true', '7', '1.5'], 2)).toBe(
      `${VID}\t1\t1.5\t7\tt\tgood\thello\\tworld\n`,
    );
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
      ['n', '007'],
      ['n', '-1.50'],
      ['n', '1e3'],
      ['n', ' 2 '],
      ['n', '.5'],
      ['n', '1234567890123456789'],
      ['n', '0x10'],
      ['n', 'Infinity'],
      ['i', '42'],
      ['i', '-0'],
      ['i', '12345678901234567'],
      ['i', '1.0'],
      ['i', '1e2'],
      ['i', ' 3'],
      ['cat', 'good'],
      ['cat', 'Good'],
      ['t', 'a\tb'],
      ['t', 'NA'],
      ['t', 'null'],
      ['t', ''],
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

describe('RowEncoder fast lane (encodeLine) agrees with the general path', () => {
  const lines = [
    '1.5,7,true,good,hello',
    '"1.5","7","1","good","hé llo ✓"',
    ',3,,bad,',
    'NA,3,null,bad,NA',
    'Nope,3,1,bad,Nice',
    '-0,-0,0,good,x',
    '-12.25,-3,FALSE,good,"a,b"',
    '123456789012345.5,1,1,good,x',
    '1,1,1,good,',
    '1e3,1,1,good,x',
    '1.2345678901234567,1,1,good,x',
    '1,1,1,good,"a""b"',
    '1,1,1,good,a\\b',
    '1,1,1,ugly,x',
    '1,NA,1,good,x',
    '1,1.0,1,good,x',
    '1, 2,1,good,x',
    '1,1,maybe,good,x',
    '1,1,1,good',
    '1,1,1,good,x,',
    '"1,1,1,good,x',
  ];
  const missing = new Set(['NA', 'null']);
  const stateOf = (acc: ProfileAccumulator) => JSON.stringify(acc, (_, v: unknown) => (v instanceof Map ? [...v] : v));

  it.each(lines)('%s', (text) => {
    const fastAcc = new ProfileAccumulator(schema);
    const fast = new RowEncoder(schema, [0, 1, 2, 3, 4], VID, missing, () => undefined, fastAcc);
    const out = new CopyBuffer();
    const took = fast.encodeLine(text, 0, text.length, out);

    const slowAcc = new ProfileAccumulator(schema);
    const slow = new RowEncoder(schema, [0, 1, 2, 3, 4], VID, missing, () => undefined, slowAcc);
    let expected: string | null = null;
    try {
      new CsvParser((fields) => (expected = slow.encode(fields, 1))).push(text + '\n');
    } catch {
      expected = null; // malformed: the general path raises the error
    }
    const written = Buffer.concat(out.take()).toString('utf8');
    if (!took) {
      // Nothing written or counted: the general path decides (and may well accept the row).
      expect([written, fast.accepted, fastAcc.rows]).toEqual(['', 0, 0]);
      return;
    }
    expect(written).toBe(expected);
    expect(stateOf(fastAcc)).toBe(stateOf(slowAcc));
  });

  it('takes the plain lines of a typical file', () => {
    const plain = lines.slice(0, 9).filter((l) => !l.startsWith('Nope'));
    const taken = plain.map((l) =>
      new RowEncoder(schema, [0, 1, 2, 3, 4], VID, missing, () => undefined).encodeLine(
        l,
        0,
        l.length,
        new CopyBuffer(),
      ),
    );
    expect(taken).toEqual(new Array(plain.length).fill(true));
  });
});
