import { containsNul, countNewlines, firstInvalidUtf8 } from './utf8';

describe('utf8 checks', () => {
  it('finds the first invalid byte', () => {
    expect(firstInvalidUtf8(Buffer.from('héllo\n😀', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x0a, 0x62, 0xe9, 0x63]))).toBe(3); // latin-1 é
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0x80]))).toBe(0); // overlong
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toBe(-1); // cut at the chunk end
  });
  it('detects NUL bytes and counts newlines', () => {
    expect(containsNul(Buffer.from([0x89, 0x50, 0x00]))).toBe(true);
    expect(containsNul(Buffer.from('a,b\n'))).toBe(false);
    expect(countNewlines(Buffer.from('a\nb\nc'))).toBe(2);
    expect(countNewlines(Buffer.from('a\nb\nc'), 2)).toBe(1);
  });
});
