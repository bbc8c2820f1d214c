import { createHash, type Hash } from 'node:crypto';
import { CsvParser, CsvSyntaxError, type RecordSink } from '../csv/csv-parser';
import { delimiterHint } from '../csv/delimiter';
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
  /** The start of the file's first line (up to 4 KiB), to explain an error at line 1. */
  firstLine = '';
  private firstLineDone = false;

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
    if (!this.firstLineDone) this.keepFirstLine(text);
    this.parse(() => this.parser.push(text));
  }

  private keepFirstLine(text: string): void {
    const nl = text.indexOf('\n');
    this.firstLine = (this.firstLine + (nl === -1 ? text : text.slice(0, nl))).slice(0, 4096);
    this.firstLineDone = nl !== -1 || this.firstLine.length === 4096;
  }

  /** A syntax error in the first line often means another delimiter: the error says so. */
  private parse(step: () => void): void {
    try {
      step();
    } catch (err) {
      if (!(err instanceof CsvSyntaxError) || err.line !== 1) throw err;
      const hint = delimiterHint(this.firstLine);
      if (!hint) throw err;
      throw new CsvSyntaxError(err.message, err.line, err.column, hint);
    }
  }

  end(): string {
    try {
      const rest = this.decoder.decode();
      if (rest) this.parse(() => this.parser.push(rest));
    } catch (err) {
      if (err instanceof CsvSyntaxError) throw err;
      throw badEncoding(this.parser.currentLine, this.bytes);
    }
    this.parse(() => this.parser.end());
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
