import { decodeCopyValue, encodeCopyValue, unescapeCopyText } from './copy-text';

describe('COPY text format', () => {
  it('encodes nulls, booleans, numbers and escapes text', () => {
    expect(encodeCopyValue(null)).toBe('\\N');
    expect(encodeCopyValue(true)).toBe('t');
    expect(encodeCopyValue(false)).toBe('f');
    expect(encodeCopyValue(0.1)).toBe('0.1');
    expect(encodeCopyValue(-12)).toBe('-12');
    expect(encodeCopyValue('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
    expect(encodeCopyValue('\\N')).toBe('\\\\N'); // the text "\N" is not a null
  });
  it('decodes what it encodes', () => {
    for (const s of ['plain', 'a\tb\nc\\d\re', '\\N', 'x"; DROP TABLE users; --', 'üñí 😀']) {
      expect(decodeCopyValue(encodeCopyValue(s), 'text')).toBe(s);
    }
    expect(decodeCopyValue('\\N', 'number')).toBeNull();
    expect(decodeCopyValue('1.5e-7', 'number')).toBe(1.5e-7);
    expect(decodeCopyValue('42', 'integer')).toBe(42);
    expect(decodeCopyValue('f', 'boolean')).toBe(false);
    expect(unescapeCopyText('\\b\\f\\v')).toBe('\b\f\v');
  });
});
