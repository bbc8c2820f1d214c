import { createHash, type Hash } from 'node:crypto';
import { CsvParser, type RecordSink } from '../csv/csv-parser';
import { containsNul, countNewlines, firstInvalidUtf8 } from '../csv/utf8';
import { badEncoding, binaryFile } from './import-errors';

/**
 * Bytes in, records out: hashes the exact bytes (sha256 of the content), refuses binary and
 * invalid UTF-8 with the line where it happens, strips a BOM, and feeds the CSV parser.
 */
export class CsvByteReader {
  readonly parser: CsvParser;
  private readonly hash: Hash = createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  bytes = 0;
  /** Whether any non-whitespace character was seen (an "empty" file has none). */
  sawContent = false;

  constructor(sink: RecordSink) {
    this.parser = new CsvParser(sink);
  }

  push(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    let text: string;
    try {
      if (containsNul(chunk)) throw binaryFile(this.lineAt(chunk, chunk.indexOf(0)));
      text = this.decoder.decode(chunk, { stream: true });
    } catch (err) {
      // Matched by code: Node's TypeError may come from another realm (Jest), failing instanceof.
      if ((err as { code?: string }).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw err;
      const offset = Math.max(firstInvalidUtf8(chunk), 0);
      throw badEncoding(this.lineAt(chunk, offset), this.bytes - chunk.length + offset);
    }
    if (!this.sawContent && /\S/.test(text)) this.sawContent = true;
    this.parser.push(text);
  }

  end(): string {
    try {
      const rest = this.decoder.decode();
      if (rest) this.parser.push(rest);
    } catch {
      throw badEncoding(this.parser.currentLine, this.bytes);
    }
    this.parser.end();
    return this.hash.digest('hex');
  }

  /** Line of byte `offset` of the current chunk: the parser's line plus newlines not parsed yet. */
  private lineAt(chunk: Buffer, offset: number): number {
    const pending = this.parser.pending;
    let nl = 0;
    for (let i = pending.indexOf('\n'); i !== -1; i = pending.indexOf('\n', i + 1)) nl++;
    return this.parser.currentLine + nl + countNewlines(chunk, offset);
  }
}
