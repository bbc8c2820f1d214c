/**
 * An incremental RFC 4180 CSV parser (comma, double quote, LF or CRLF). Hand-written because
 * csv-parse is too slow for the import's speed target (docs/benchmarks.md); this one splits plain
 * lines natively and falls back to a character state machine only for quoted commas, doubled
 * quotes and quoted line breaks. Strict: a field count that differs from the header's, an
 * unterminated quote or text after a closing quote is a CsvSyntaxError with line and column.
 */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based line where the record starts. */
    readonly line: number,
    /** 1-based field index, when known. */
    readonly column?: number,
    /** What the file seems to be instead, when that explains the error (another delimiter). */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** `quoted[i]` tells whether field i was quoted (null: no field was). */
export type RecordSink = (fields: string[], line: number, quoted: boolean[] | null) => void;

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export class CsvParser {
  private carry = '';
  /** Line number of the first character of `carry`. */
  private line = 1;
  private expectedFields = -1;
  private records = 0;
  /**
   * Optional fast lane tried on each non-empty line `s[start, end)` (CR stripped) before the
   * general parsing: true means it took the line as one record; false leaves the line to the
   * parser as if the lane were not there. Set it only once the header is parsed.
   */
  fastLine: ((s: string, start: number, end: number) => boolean) | null = null;

  constructor(
    private readonly sink: RecordSink,
    private readonly maxRecordChars = 8 * 1024 * 1024,
  ) {}

  get recordCount(): number {
    return this.records;
  }

  /** Line number reached so far (start of the unparsed remainder). */
  get currentLine(): number {
    return this.line;
  }

  /** Text not parsed yet (an incomplete last record). */
  get pending(): string {
    return this.carry;
  }

  push(text: string): void {
    const s = this.carry.length ? this.carry + text : text;
    const pos = this.parse(s, false);
    this.carry = pos < s.length ? s.slice(pos) : '';
    if (this.carry.length > this.maxRecordChars) {
      throw new CsvSyntaxError(
        `a record is longer than ${this.maxRecordChars} characters (unterminated quote?)`,
        this.line,
      );
    }
  }

  end(): void {
    const s = this.carry;
    this.carry = '';
    if (s.length) this.parse(s, true);
  }

  /** Parses whole records from s; returns the index of the first unparsed character. */
  private parse(s: string, final: boolean): number {
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      const nl = s.indexOf('\n', pos);
      if (nl === -1 && !final) return pos;
      const lineEnd = nl === -1 ? n : nl;
      let end = lineEnd;
      if (end > pos && s.charCodeAt(end - 1) === CR) end--;
      if (end === pos) {
        // An empty line separates nothing: skipped, as csv-parse's skip_empty_lines does.
        this.line++;
        pos = lineEnd + 1;
        continue;
      }
      if (this.fastLine !== null && this.fastLine(s, pos, end)) {
        this.records++;
        this.line++;
        pos = lineEnd + 1;
        continue;
      }
      const text = s.slice(pos, end);
      const fields = text.split(',');
      let quoted: boolean[] | null = null;
      let simple = true;
      if (text.indexOf('"') !== -1) {
        quoted = new Array<boolean>(fields.length).fill(false);
        for (let k = 0; k < fields.length; k++) {
          const f = fields[k];
          // "value" with no other quote inside: the common quoted category.
          if (f.length >= 2 && f.charCodeAt(0) === QUOTE && f.indexOf('"', 1) === f.length - 1) {
            fields[k] = f.slice(1, -1);
            quoted[k] = true;
          } else if (f.indexOf('"') !== -1) {
            simple = false;
            break;
          }
        }
      }
      if (simple) {
        this.emit(fields, quoted, this.line);
        this.line++;
        pos = lineEnd + 1;
        continue;
      }
      const next = this.parseQuoted(s, pos, final);
      if (next === -1) return pos;
      pos = next;
    }
    return pos;
  }

  /** The state machine for one record from `start`; -1 when the record is not complete yet. */
  private parseQuoted(s: string, start: number, final: boolean): number {
    const n = s.length;
    const fields: string[] = [];
    const quoted: boolean[] = [];
    const startLine = this.line;
    let i = start;
    for (;;) {
      if (i < n && s.charCodeAt(i) === QUOTE) {
        let value = '';
        let seg = i + 1;
        for (;;) {
          const q = s.indexOf('"', seg);
          if (q === -1 || (q + 1 >= n && !final)) {
            if (!final) return -1;
            throw new CsvSyntaxError('unterminated quoted field', startLine, fields.length + 1);
          }
          if (s.charCodeAt(q + 1) === QUOTE) {
            value += s.slice(seg, q + 1);
            seg = q + 2;
            continue;
          }
          value += s.slice(seg, q);
          i = q + 1;
          break;
        }
        fields.push(value);
        quoted.push(true);
        const c = i < n ? s.charCodeAt(i) : -1;
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === CR && i + 1 >= n && !final) return -1;
        if (c === LF || c === -1 || (c === CR && (i + 1 >= n || s.charCodeAt(i + 1) === LF))) {
          i = c === -1 ? n : c === CR ? i + 2 : i + 1;
          break;
        }
        throw new CsvSyntaxError('unexpected character after a closing quote', startLine, fields.length);
      }
      let j = i;
      while (j < n) {
        const c = s.charCodeAt(j);
        if (c === COMMA || c === LF) break;
        if (c === QUOTE) throw new CsvSyntaxError('a quote inside an unquoted field', startLine, fields.length + 1);
        j++;
      }
      if (j >= n && !final) return -1;
      const fieldEnd = j > i && s.charCodeAt(j - 1) === CR && (j >= n || s.charCodeAt(j) === LF) ? j - 1 : j;
      fields.push(s.slice(i, fieldEnd));
      quoted.push(false);
      if (j < n && s.charCodeAt(j) === COMMA) {
        i = j + 1;
        continue;
      }
      i = j >= n ? n : j + 1;
      break;
    }
    for (let k = start; k < i; k++) if (s.charCodeAt(k) === LF) this.line++;
    if (i >= n && (n === 0 || s.charCodeAt(n - 1) !== LF)) this.line++; // last record without a final newline
    this.emit(fields, quoted, startLine);
    return i;
  }

  private emit(fields: string[], quoted: boolean[] | null, line: number): void {
    if (this.expectedFields === -1) this.expectedFields = fields.length;
    else if (fields.length !== this.expectedFields) {
      throw new CsvSyntaxError(
        `expected ${this.expectedFields} fields (as in the header), found ${fields.length}`,
        line,
        Math.min(fields.length, this.expectedFields) + 1,
      );
    }
    this.records++;
    this.sink(fields, line, quoted);
  }
}
