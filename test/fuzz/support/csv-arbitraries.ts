import fc from 'fast-check';
import { controlString } from './arbitraries';

/**
 * CSV files as bytes: quotes (doubled, unmatched, mid-cell), embedded newlines, the delimiters
 * , ; \t |, a BOM, latin-1 and UTF-16 encodings, invalid UTF-8, very long lines, ragged rows,
 * duplicate and empty headers, and files wider than PostgreSQL's tables.
 */

export interface CsvFile {
  kind: string;
  bytes: Buffer;
}

const quoted = (s: string) => `"${s.replace(/"/g, '""')}"`;

const cell = (delimiter: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.integer().map(String),
    fc.double({ noNaN: true }).map(String),
    fc.constantFrom('', 'NA', 'true', 'false', '1e400', '-0', '99999999999999999999', 'a', 'b'),
    fc.string({ maxLength: 10 }).map(quoted),
    fc.constantFrom(`"a\nb"`, `"a""b"`, `"a${delimiter}b"`, `"unclosed`, `ab"c`, `"a"b`, `""`, `"\r\n"`),
    controlString,
    fc.string({ maxLength: 6 }),
  );

const headerName = fc.oneof(
  { arbitrary: fc.constantFrom('id', 'a', 'b', 'Status', 'score'), weight: 4 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 2 },
  { arbitrary: fc.constantFrom('', ' ', '""', '__proto__', 'constructor', 'a"b', 'ctid', 'oid'), weight: 1 },
  { arbitrary: controlString, weight: 1 },
);

/** A small CSV text: a header and ragged rows, with its delimiter and line ending. */
const textCsv = fc
  .record({
    delimiter: fc.constantFrom(',', ',', ',', ';', '\t', '|'),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    header: fc.array(headerName, { minLength: 1, maxLength: 8 }),
    finalEol: fc.boolean(),
  })
  .chain(({ delimiter, eol, header, finalEol }) =>
    fc
      .array(fc.array(cell(delimiter), { minLength: 0, maxLength: header.length + 2 }), { maxLength: 20 })
      .map((rows) => {
        const lines = [header.map((h) => (/[",;\t|\n\r]/.test(h) ? quoted(h) : h)), ...rows].map((r) =>
          r.join(delimiter),
        );
        return lines.join(eol) + (finalEol ? eol : '');
      }),
  );

/** A file wider than PostgreSQL's 1,600 columns (or close to its row size), of integers or texts. */
const wideCsv = fc
  .tuple(
    fc.integer({ min: 1_000, max: 6_000 }),
    fc.constantFrom('1', '123456789', 'abc'),
    fc.integer({ min: 1, max: 3 }),
  )
  .map(([n, value, rows]) => {
    const header = Array.from({ length: n }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: n }, () => value).join(',');
    return [header, ...Array.from({ length: rows }, () => row)].join('\n') + '\n';
  });

/** One very long line (a long cell, or a header of one long name). */
const longLineCsv = fc
  .tuple(fc.integer({ min: 10_000, max: 2_000_000 }), fc.boolean())
  .map(([n, inHeader]) => (inHeader ? `${'h'.repeat(n)},b\n1,2\n` : `a,b\n${'x'.repeat(n)},2\n3,4\n`));

/** The text in an encoding, possibly with a BOM or a byte that is not UTF-8 put in. */
const encoded = (text: fc.Arbitrary<string>): fc.Arbitrary<Buffer> =>
  fc
    .tuple(
      text,
      fc.constantFrom('utf8', 'utf8', 'utf8', 'utf8-bom', 'latin1', 'utf16le-bom', 'utf16le', 'invalid-utf8'),
      fc.nat(),
    )
    .map(([t, encoding, at]) => {
      switch (encoding) {
        case 'utf8-bom':
          return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]);
        case 'latin1':
          return Buffer.from(t.replace(/a/g, 'é'), 'latin1');
        case 'utf16le-bom':
          return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]);
        case 'utf16le':
          return Buffer.from(t, 'utf16le');
        case 'invalid-utf8': {
          const b = Buffer.from(t);
          const i = b.length ? at % b.length : 0;
          return Buffer.concat([b.subarray(0, i), Buffer.from([0xff, 0xc0, 0xaf]), b.subarray(i)]);
        }
        case 'utf8':
          return Buffer.from(t);
      }
    });

export const csvFile: fc.Arbitrary<CsvFile> = fc.oneof(
  { arbitrary: encoded(textCsv).map((bytes) => ({ kind: 'csv', bytes })), weight: 12 },
  { arbitrary: wideCsv.map((t) => ({ kind: 'wide', bytes: Buffer.from(t) })), weight: 1 },
  { arbitrary: longLineCsv.map((t) => ({ kind: 'long-line', bytes: Buffer.from(t) })), weight: 1 },
  { arbitrary: fc.uint8Array({ maxLength: 256 }).map((b) => ({ kind: 'bytes', bytes: Buffer.from(b) })), weight: 1 },
);

/** How the file is sent: the form's field name, extra form fields (the limit is 20), a filename. */
export interface Form {
  field: string;
  extraFields: number;
  filename: string;
}

export const form: fc.Arbitrary<Form> = fc.oneof(
  { arbitrary: fc.constant({ field: 'file', extraFields: 0, filename: 'f.csv' }), weight: 20 },
  {
    arbitrary: fc.record({
      field: fc.constantFrom('file', 'other', ''),
      extraFields: fc.integer({ min: 0, max: 30 }),
      filename: fc.constantFrom('f.csv', '', '../../x.csv', 'a\u0000.csv'),
    }),
    weight: 1,
  },
);

/** The multipart body of an upload. */
export function multipart(file: Buffer, f: Form, boundary: string): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < f.extraFields; i++)
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="x${i}"\r\n\r\nv\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\n` +
        'Content-Type: text/csv\r\n\r\n',
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return Buffer.concat(parts);
}
