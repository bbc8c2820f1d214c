const BLOCK = 256 * 1024;

/**
 * COPY text collected as bytes, in blocks: the import's fast lane writes bytes straight in (no
 * string per row or per field, so next to no garbage), the general path writes its line strings.
 * `take()` hands the filled blocks to the COPY stream; memory stays a few blocks.
 */
export class CopyBuffer {
  buf: Buffer = Buffer.allocUnsafe(BLOCK);
  pos = 0;
  private filled: Buffer[] = [];
  private filledBytes = 0;

  /** Bytes written and not taken yet. */
  get size(): number {
    return this.filledBytes + this.pos;
  }

  /** Makes room for n more bytes in `buf` from `pos`. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.seal();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(BLOCK, n));
  }

  writeString(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** The bytes written so far, in order; the buffer starts empty again. */
  take(): Buffer[] {
    this.seal();
    const out = this.filled;
    this.filled = [];
    this.filledBytes = 0;
    return out;
  }

  private seal(): void {
    if (this.pos === 0) return;
    this.filled.push(this.buf.subarray(0, this.pos));
    this.filledBytes += this.pos;
    this.buf = Buffer.allocUnsafe(BLOCK);
    this.pos = 0;
  }
}
