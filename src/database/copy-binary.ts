/**
 * PostgreSQL's binary COPY format (`COPY ... FROM STDIN (FORMAT binary)`), used by the prediction
 * log: PostgreSQL takes each field as it stores it (a uuid's 16 bytes, a timestamp's microseconds)
 * where the text format has it parse every uuid, timestamp and number, and the writer needs no
 * escaping. A stream is the header, tuples, then the trailer; a tuple is its field count (int16)
 * and each field as its byte length (int32, -1 for null) and its bytes, all big-endian.
 */

/** Signature, flags (no OIDs) and header-extension length. */
export const COPY_BINARY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** A field count of -1 ends the data. */
export const COPY_BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/** Bytes a tuple's field count takes. */
export const FIELD_COUNT_BYTES = 2;
/** Bytes a field takes besides its value: its length. */
export const FIELD_HEADER_BYTES = 4;
/** Bytes a uuid field takes. */
export const UUID_FIELD_BYTES = FIELD_HEADER_BYTES + 16;
/** Bytes a timestamptz field takes. */
export const TIMESTAMP_FIELD_BYTES = FIELD_HEADER_BYTES + 8;
/** Bytes an integer (int4) field takes. */
export const INT4_FIELD_BYTES = FIELD_HEADER_BYTES + 4;
/** Bytes a real (float4) field takes. */
export const FLOAT4_FIELD_BYTES = FIELD_HEADER_BYTES + 4;
/** The most bytes a text field of `text` can take (a UTF-16 code unit takes at most 3 of UTF-8). */
export const maxTextFieldBytes = (text: string): number => FIELD_HEADER_BYTES + 3 * text.length;

// PostgreSQL's timestamps count microseconds from 2000-01-01T00:00:00Z.
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 2 ** 32;

// Nibble of each hex digit's character code (-1: not a hex digit).
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Writes a tuple's field count at `at`; returns the offset after it. */
export function writeFieldCount(bytes: Buffer, at: number, count: number): number {
  return bytes.writeInt16BE(count, at);
}

/** Writes a uuid field (text form `8-4-4-4-12` hex digits); returns the offset after it. */
export function writeUuidField(bytes: Buffer, at: number, uuid: string): number {
  if (uuid.length !== 36) throw new Error(`not a uuid: ${uuid}`);
  bytes.writeInt32BE(16, at);
  let o = at + FIELD_HEADER_BYTES;
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (uuid.charCodeAt(i) !== 0x2d) throw new Error(`not a uuid: ${uuid}`);
      continue;
    }
    const hi = HEX[uuid.charCodeAt(i)] ?? -1;
    const lo = HEX[uuid.charCodeAt(++i)] ?? -1;
    if (hi < 0 || lo < 0) throw new Error(`not a uuid: ${uuid}`);
    bytes[o++] = (hi << 4) | lo;
  }
  return o;
}

/** Writes a timestamptz field for `ms` since the Unix epoch (whole milliseconds); returns the offset after it. */
export function writeTimestampField(bytes: Buffer, at: number, ms: number): number {
  bytes.writeInt32BE(8, at);
  // Microseconds as two 32-bit halves: exact up to 2^53, and no BigInt a row. Floor keeps the
  // low half non-negative for times before 2000.
  const us = (ms - PG_EPOCH_MS) * 1000;
  const high = Math.floor(us / TWO_32);
  bytes.writeInt32BE(high, at + 4);
  bytes.writeUInt32BE(us - high * TWO_32, at + 8);
  return at + TIMESTAMP_FIELD_BYTES;
}

/** Writes a text (or json) field as UTF-8, or null; returns the offset after it. */
export function writeTextField(bytes: Buffer, at: number, text: string | null): number {
  if (text === null) return bytes.writeInt32BE(-1, at);
  const length = bytes.write(text, at + FIELD_HEADER_BYTES);
  bytes.writeInt32BE(length, at);
  return at + FIELD_HEADER_BYTES + length;
}

/** Writes an integer (int4) field; returns the offset after it. */
export function writeInt4Field(bytes: Buffer, at: number, value: number): number {
  bytes.writeInt32BE(4, at);
  return bytes.writeInt32BE(value, at + FIELD_HEADER_BYTES);
}

/** Writes a real (float4) field; returns the offset after it. */
export function writeFloat4Field(bytes: Buffer, at: number, value: number): number {
  bytes.writeInt32BE(4, at);
  return bytes.writeFloatBE(value, at + FIELD_HEADER_BYTES);
}
