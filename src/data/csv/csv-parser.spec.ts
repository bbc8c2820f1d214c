import { CsvParser, CsvSyntaxError } from './csv-parser';

interface Rec {
  fields: string[];
  line: number;
  quoted: boolean[] | null;
}

function parseAll(chunks: string[]): Rec[] {
  const out: Rec[] = [];
  const p = new CsvParser((fields, line, quoted) => out.push({ fields, line, quoted }));
  for (const c of chunks) p.push(c);
  p.end();
  return out;
}

const fieldsOf = (chunks: string[]) => parseAll(chunks).map((r) => r.fields);

function errorOf(chunks: string[]): CsvSyntaxError {
  try {
    parseAll(chunks);
  } catch (err) {
    if (err instanceof CsvSyntaxError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('CsvParser', () => {
  it('parses plain and quoted fields with line numbers and quoting flags', () => {
    const recs = parseAll(['"a",b\n"x",1\ny,2\n']);
    expect(recs).toEqual([
      { fields: ['a', 'b'], line: 1, quoted: [true, false] },
      { fields: ['x', '1'], line: 2, quoted: [true, false] },
      { fields: ['y', '2'], line: 3, quoted: null },
    ]);
  });

  it('handles CRLF, a missing final newline and empty lines', () => {
    expect(fieldsOf(['a,b\r\n1,2\r\n\r\n3,4'])).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parseAll(['a\n\n1\n'])[1].line).toBe(3);
  });

  it('handles quoted commas, doubled quotes, quoted line breaks and empty quoted fields', () => {
    const recs = parseAll(['a,b,c\n"x,y","say ""hi""",""\n"multi\nline",2,3\nlast,1,2\n']);
    expect(recs.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['x,y', 'say "hi"', ''],
      ['multi\nline', '2', '3'],
      ['last', '1', '2'],
    ]);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 3, 5]);
    expect(recs[1].quoted).toEqual([true, true, true]);
  });

  it('gives the same records whatever the chunking', () => {
    const text = 'a,b\n"x,""y""\nz",1\r\nq,"2"\n"end",3';
    const whole = fieldsOf([text]);
    for (let cut = 1; cut < text.length; cut++) {
      expect(fieldsOf([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    }
    expect(fieldsOf(text.split(''))).toEqual(whole);
  });

  it('reports an unterminated quote with its line and column', () => {
    const err = errorOf(['a,b\n1,2\n3,"open\nmore\n']);
    expect(err.message).toMatch(/unterminated/);
    expect(err).toMatchObject({ line: 3, column: 2 });
  });

  it('reports a wrong number of fields with its line', () => {
    const err = errorOf(['a,b,c\n1,2,3\n4,5\n']);
    expect(err.message).toBe('expected 3 fields (as in the header), found 2');
    expect(err).toMatchObject({ line: 3, column: 3 });
    expect(errorOf(['a,b\n1,2,3\n']).line).toBe(2);
  });

  it('reports stray quotes', () => {
    expect(errorOf(['a,b\n"x"y,1\n'])).toMatchObject({
      message: expect.stringMatching(/after a closing quote/),
      line: 2,
      column: 1,
    });
    expect(errorOf(['a,b\n1,ab"c\n'])).toMatchObject({
      message: expect.stringMatching(/inside an unquoted/),
      line: 2,
      column: 2,
    });
  });

  it('refuses a record longer than the limit', () => {
    const p = new CsvParser(() => undefined, 10);
    expect(() => p.push('"' + 'x'.repeat(20))).toThrow(/longer than 10/);
  });
});
