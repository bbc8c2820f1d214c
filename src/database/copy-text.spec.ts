import { copyJson, encodeCopyValue, unescapeCopyText } from './copy-text';

describe('copyJson', () => {
  const values = [
    { plain: 'text', n: 1.5, ok: true, none: null },
    { tab: 'a\tb', newline: 'c\nd', cr: 'e\rf', backslash: 'g\\h', quote: 'say "hi"', nul: '\u0000', ls: '\u2028' },
    { 'key\twith\\escapes': ['üñí 😀', { nested: '\\N' }] },
  ];

  it('is the general COPY encoding of the JSON text', () => {
    for (const v of values) expect(copyJson(v)).toBe(encodeCopyValue(JSON.stringify(v)));
  });

  it('is one field (no raw tab, newline or carriage return) that decodes to the same value', () => {
    for (const v of values) {
      const field = copyJson(v);
      expect(field).not.toMatch(/[\t\n\r]/);
      expect(JSON.parse(unescapeCopyText(field))).toEqual(v);
    }
  });
});
