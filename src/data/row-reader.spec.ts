import type { ColumnSpec } from '../ml';
import { decodeCopyValue } from './copy/copy-text';
import { rowDecoder } from './row-reader.service';

const cols: ColumnSpec[] = [
  { name: '__proto__', type: 'integer', nullable: true },
  { name: 'x', type: 'number', nullable: true },
  { name: 'toString', type: 'text', nullable: true },
  { name: 'b', type: 'boolean', nullable: true },
  { name: 'c', type: 'category', nullable: true },
];

describe('rowDecoder', () => {
  it('decodes COPY text lines like decodeCopyValue, keys as plain own properties', () => {
    const lines = [
      '-42\t1.5\ta\\tb\tt\tgood',
      '\\N\t\\N\t\\N\t\\N\t\\N',
      '123456789012345\t-0\t\tf\t\\\\N',
      '9007199254740993\t1e+300\tx\tt\tNaN',
      '0\t-1234567890.125\té\tf\tz',
    ];
    for (const line of lines) {
      const text = `junk\n${line}\nmore`;
      const row = rowDecoder(cols)(text, 5, 5 + line.length);
      const fields = line.split('\t');
      const expected = Object.create(null) as Record<string, unknown>;
      cols.forEach((c, j) =>
        Object.defineProperty(expected, c.name, {
          value: decodeCopyValue(fields[j], c.type),
          enumerable: true,
          writable: true,
        }),
      );
      expect(Object.keys(row)).toEqual(cols.map((c) => c.name));
      for (const c of cols) expect(Object.is(row[c.name], expected[c.name])).toBe(true);
    }
    const row = rowDecoder(cols)('1\t2\t3\tt\tc', 0, 9);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(row))).toBeNull();
    expect(typeof row.toString).toBe('string');
  });
});
