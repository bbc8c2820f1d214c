import {
  COPY_BINARY_HEADER,
  COPY_BINARY_TRAILER,
  maxTextFieldBytes,
  writeFloat4Field,
  writeInt4Field,
  writeTextField,
  writeTimestampField,
  writeUuidField,
} from './copy-binary';

/** The bytes one field writer writes, checking the offset it returns. */
function field(write: (bytes: Buffer, at: number) => number): number[] {
  const bytes = Buffer.alloc(64);
  const end = write(bytes, 3);
  return [...bytes.subarray(3, end)];
}
const int32 = (n: number) => [...Buffer.from(new Int32Array([n]).buffer).reverse()];

describe('binary COPY fields', () => {
  it('writes a uuid as its 16 bytes, either case', () => {
    const bytes = [...Buffer.from('0190a0b0000070008000abcdef000001', 'hex')];
    expect(field((b, at) => writeUuidField(b, at, '0190a0b0-0000-7000-8000-abcdef000001'))).toEqual([
      ...int32(16),
      ...bytes,
    ]);
    expect(field((b, at) => writeUuidField(b, at, '0190A0B0-0000-7000-8000-ABCDEF000001'))).toEqual([
      ...int32(16),
      ...bytes,
    ]);
  });

  it.each([
    '',
    '0190a0b0-0000-7000-8000-abcdef00000',
    '0190a0b0-0000-7000-8000-abcdef0000011',
    '0190a0b0-0000-7000-8000-abcdef00000z',
    '0190a0b000000-7000-8000-abcdef000001',
    '0190a0b0-0000-7000-8000-abcdef00000é',
  ])('refuses %p as a uuid', (id) => {
    expect(() => writeUuidField(Buffer.alloc(64), 0, id)).toThrow('not a uuid');
  });

  it('writes a time as microseconds since 2000-01-01, before and after it', () => {
    const micros = (ms: number) => {
      const b = Buffer.from(field((bytes, at) => writeTimestampField(bytes, at, ms)));
      expect(b.readInt32BE(0)).toBe(8);
      return b.readBigInt64BE(4);
    };
    expect(micros(Date.UTC(2000, 0, 1))).toBe(0n);
    expect(micros(Date.UTC(2000, 0, 1, 0, 0, 0, 1))).toBe(1000n);
    expect(micros(Date.UTC(1999, 11, 31, 23, 59, 59, 999))).toBe(-1000n);
    expect(micros(Date.UTC(2026, 10, 27, 3, 4, 5, 67))).toBe(
      BigInt(Date.UTC(2026, 10, 27, 3, 4, 5, 67) - Date.UTC(2000, 0, 1)) * 1000n,
    );
    expect(micros(Date.UTC(1970, 0, 1))).toBe(-946684800000000n);
  });

  it('writes text as UTF-8 with its byte length, and null as length -1', () => {
    expect(field((b, at) => writeTextField(b, at, 'é😀'))).toEqual([...int32(6), ...Buffer.from('é😀')]);
    expect(field((b, at) => writeTextField(b, at, ''))).toEqual(int32(0));
    expect(field((b, at) => writeTextField(b, at, null))).toEqual(int32(-1));
    expect(maxTextFieldBytes('é😀')).toBeGreaterThanOrEqual(4 + 6);
  });

  it('writes integers and reals as 4 big-endian bytes', () => {
    expect(field((b, at) => writeInt4Field(b, at, -2))).toEqual([...int32(4), 0xff, 0xff, 0xff, 0xfe]);
    expect(field((b, at) => writeFloat4Field(b, at, 1.5))).toEqual([...int32(4), 0x3f, 0xc0, 0, 0]);
  });

  it('frames the data as PostgreSQL expects: signature, no flags or extension, then a field count of -1', () => {
    expect(COPY_BINARY_HEADER).toEqual(
      Buffer.from([...Buffer.from('PGCOPY\n'), 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]),
    );
    expect(COPY_BINARY_TRAILER.readInt16BE(0)).toBe(-1);
  });
});
