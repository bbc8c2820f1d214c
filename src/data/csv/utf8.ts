import { isUtf8 } from 'node:buffer';

/**
 * Byte-level checks of an upload before it is decoded: NUL bytes mean a binary file, not CSV;
 * an invalid UTF-8 sequence is located (line, byte offset) for the error message.
 */
export function containsNul(buf: Uint8Array): boolean {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).indexOf(0) !== -1;
}

/** Offset of the first byte of an invalid UTF-8 sequence, or -1 (a sequence cut at the end is valid). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  if (isUtf8(buf)) return -1;
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      if (i + k >= buf.length) return -1;
      if ((buf[i + k] & 0xc0) !== 0x80) return i;
    }
    // Overlongs, surrogates and code points above U+10FFFF.
    if (!isUtf8(buf.subarray(i, i + len))) return i;
    i += len;
  }
  return -1;
}

export function countNewlines(buf: Uint8Array, end = buf.length): number {
  let n = 0;
  const b = Buffer.from(buf.buffer, buf.byteOffset, Math.min(end, buf.byteLength));
  let i = b.indexOf(10);
  while (i !== -1) {
    n++;
    i = b.indexOf(10, i + 1);
  }
  return n;
}
