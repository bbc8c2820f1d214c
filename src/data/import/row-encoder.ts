import { parseCell, type CellValue, type ColumnSpec, type DatasetSchema } from '../../ml';
import type { CopyBuffer } from '../copy/copy-buffer';
import { NEEDS_ESCAPE, encodeCopyValue } from '../copy/copy-text';
import type { ProfileAccumulator } from '../profile/profile-accumulator';

/** A value refused by the schema, kept with where it was found. */
export interface Rejection {
  line: number;
  /** The user's column name. */
  column: string;
  value: string;
  reason: string;
}

const MAX_KEPT_VALUE = 200;

// Fast paths: plain texts that `parseCell` accepts with exactly the value PostgreSQL reads from
// the same text (at most 15 digits: a safe integer; a plain decimal: both sides round it to the
// nearest double). They go to COPY as written; anything else takes the `parseCell` path.
const PLAIN_INTEGER = /^-?\d{1,15}$/;
const PLAIN_DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;

// The fast lane's column kinds.
const INTEGER = 0;
const NUMBER = 1;
const TEXT = 2;
const FIXED = 3;
const BOOLEAN = 4;
const QUOTE = 34;
const COMMA = 44;
const BACKSLASH = 92;
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * Validates parsed records against the schema (ml `parseCell`, the one rule set shared with
 * inference) and turns each accepted record into a COPY text line:
 * `version_id \t row_no \t c1 … cN`. A record with any bad cell is rejected whole, every bad
 * cell reported (one Rejection per cell).
 */
export class RowEncoder {
  private readonly columns: ColumnSpec[];
  private readonly prefix: string;
  private readonly fast: (RegExp | Set<string> | null | undefined)[];
  /** The current record's values in schema order (reused: no allocation per row). */
  private readonly cells: CellValue[];
  accepted = 0;
  rejectedRows = 0;
  // Fast lane state, allocated once.
  private readonly kinds: Uint8Array;
  private readonly nullable: boolean[];
  private readonly prefixBytes: Buffer;
  private readonly tokenFirst = new Uint8Array(65536);
  private readonly fStart: Int32Array;
  private readonly fEnd: Int32Array;
  private readonly fWide: Uint8Array;
  private readonly nums: Float64Array;
  private readonly texts: (string | null)[];

  constructor(
    schema: DatasetSchema,
    /** order[i] = field of the file holding schema column i. */
    private readonly order: number[],
    versionId: string,
    private readonly missingTokens: ReadonlySet<string>,
    private readonly onReject: (r: Rejection) => void,
    /** Fed every accepted record (the version's profile). */
    private readonly stats?: ProfileAccumulator,
  ) {
    this.cells = new Array<CellValue>(schema.columns.length).fill(null);
    this.columns = schema.columns;
    this.prefix = `${versionId}\t`;
    // Per column: the pattern (numbers), the allowed set (fixed categories), null (any text), or
    // undefined (booleans: always through parseCell).
    this.kinds = Uint8Array.from(schema.columns, (c) =>
      c.type === 'integer'
        ? INTEGER
        : c.type === 'number'
          ? NUMBER
          : c.type === 'boolean'
            ? BOOLEAN
            : c.categories
              ? FIXED
              : TEXT,
    );
    this.nullable = schema.columns.map((c) => c.nullable);
    this.prefixBytes = Buffer.from(this.prefix, 'utf8');
    for (const t of missingTokens) if (t.length) this.tokenFirst[t.charCodeAt(0)] = 1;
    this.fStart = new Int32Array(order.length);
    this.fEnd = new Int32Array(order.length);
    this.fWide = new Uint8Array(order.length);
    this.nums = new Float64Array(schema.columns.length);
    this.texts = new Array<string | null>(schema.columns.length).fill(null);
    this.fast = schema.columns.map((c) =>
      c.type === 'integer'
        ? PLAIN_INTEGER
        : c.type === 'number'
          ? PLAIN_DECIMAL
          : c.type === 'boolean'
            ? undefined
            : c.categories
              ? new Set(c.categories)
              : null,
    );
  }

  /** The COPY line (with its newline) or '' when the record was rejected. */
  encode(fields: string[], line: number): string {
    let out = '';
    let bad = false;
    for (let i = 0; i < this.columns.length; i++) {
      const col = this.columns[i];
      const raw = fields[this.order[i]];
      if (raw !== '' && !bad && !this.missingTokens.has(raw)) {
        const fast = this.fast[i];
        if (fast === null || (fast instanceof Set && fast.has(raw))) {
          out += '\t' + (NEEDS_ESCAPE.test(raw) ? encodeCopyValue(raw) : raw);
          this.cells[i] = raw;
          continue;
        }
        if (fast instanceof RegExp && fast.test(raw)) {
          out += '\t' + raw;
          this.cells[i] = raw; // the profile reads the text as PostgreSQL does: Number(raw)
          continue;
        }
      }
      const res = parseCell(raw, col, this.missingTokens);
      if (res.ok) {
        if (!bad) out += '\t' + encodeCopyValue(res.value);
        this.cells[i] = res.value;
      } else {
        bad = true;
        this.onReject({
          line,
          column: col.name,
          value: raw.length > MAX_KEPT_VALUE ? raw.slice(0, MAX_KEPT_VALUE) + '…' : raw,
          reason: res.reason,
        });
      }
    }
    if (bad) {
      this.rejectedRows++;
      return '';
    }
    this.accepted++;
    this.stats?.addRow(this.cells);
    return this.prefix + this.accepted + out + '\n';
  }

  /**
   * The fast lane for one line `s[start, end)` (no line break, CR already stripped): a record of
   * plain cells (numbers as the fast paths above accept them, texts with nothing to escape,
   * fields either unquoted or wrapped in one pair of quotes) is validated, counted in the
   * profile and written to `out` as bytes, with no string per field and none per row. Anything
   * else returns false before writing or counting, and the caller takes the general path
   * (CsvParser + encode), which gives every error and rejection its usual answer.
   */
  encodeLine(s: string, start: number, end: number, out: CopyBuffer): boolean {
    const nf = this.order.length;
    const fs = this.fStart;
    const fe = this.fEnd;
    const wide = this.fWide;
    let k = 0;
    let i = start;
    for (;;) {
      if (k === nf) return false;
      let w = 0;
      let a = i;
      let b: number;
      if (i < end && s.charCodeAt(i) === QUOTE) {
        const q = s.indexOf('"', i + 1);
        if (q === -1 || q >= end || (q + 1 < end && s.charCodeAt(q + 1) !== COMMA)) return false;
        a = i + 1;
        b = q;
        i = q + 1;
      } else {
        b = s.indexOf(',', i);
        if (b === -1 || b > end) b = end;
        i = b;
      }
      for (let j = a; j < b; j++) {
        const c = s.charCodeAt(j);
        if (c < 32) {
          if (c === 9 || c === 10 || c === 13) return false;
        } else if (c === BACKSLASH || c === QUOTE) return false;
        else if (c >= 128) w = 1;
      }
      fs[k] = a;
      fe[k] = b;
      wide[k++] = w;
      if (i >= end) break;
      i++; // the comma; a comma at the very end opens one more (empty) field
    }
    if (k !== nf) return false;

    const kinds = this.kinds;
    const nums = this.nums;
    const texts = this.texts;
    const ncols = kinds.length;
    for (let c = 0; c < ncols; c++) {
      const f = this.order[c];
      const a = fs[f];
      const b = fe[f];
      texts[c] = null;
      if (a === b || (this.tokenFirst[s.charCodeAt(a)] === 1 && this.missingTokens.has(s.slice(a, b)))) {
        if (!this.nullable[c]) return false;
        nums[c] = NaN; // missing
        continue;
      }
      nums[c] = 0;
      const kind = kinds[c];
      if (kind === INTEGER || kind === NUMBER) {
        const v = plainNumber(s, a, b, kind === NUMBER);
        if (v === null) return false;
        nums[c] = v;
      } else if (kind === FIXED) {
        const v = s.slice(a, b);
        if (!(this.fast[c] as Set<string>).has(v)) return false;
        texts[c] = v;
      } else if (kind === BOOLEAN) {
        const res = parseCell(s.slice(a, b), this.columns[c], this.missingTokens);
        if (!res.ok) return false;
        nums[c] = res.value ? 1 : 0;
      }
    }

    out.ensure(this.prefixBytes.length + 20 + 3 * (end - start) + 3 * ncols);
    const buf = out.buf;
    let p = out.pos;
    this.prefixBytes.copy(buf, p);
    p = writeUint(buf, p + this.prefixBytes.length, ++this.accepted);
    const stats = this.stats;
    stats?.row();
    for (let c = 0; c < ncols; c++) {
      buf[p++] = 9;
      const f = this.order[c];
      const kind = kinds[c];
      if (Number.isNaN(nums[c])) {
        buf[p++] = BACKSLASH;
        buf[p++] = 78; // N
        continue;
      }
      if (kind === BOOLEAN) {
        buf[p++] = nums[c] ? 116 : 102; // t / f
        stats?.category(c, nums[c] ? 'true' : 'false');
        continue;
      }
      const a = fs[f];
      const b = fe[f];
      if (wide[f]) p += buf.write(s.slice(a, b), p, 'utf8');
      else for (let j = a; j < b; j++) buf[p++] = s.charCodeAt(j);
      if (!stats) continue;
      if (kind === INTEGER || kind === NUMBER) stats.number(c, nums[c]);
      else stats.category(c, texts[c] ?? s.slice(a, b));
    }
    buf[p++] = 10;
    out.pos = p;
    return true;
  }
}

/**
 * `-?\d{1,15}` (integer) or `-?\d{1,15}(\.\d{1,15})?` (number) as its value, else null. With
 * at most 15 digits in all, m / 10^k is one correctly rounded division of two exact doubles:
 * the same double as Number(text) and as PostgreSQL's float8in.
 */
function plainNumber(s: string, a: number, b: number, decimal: boolean): number | null {
  let j = a;
  const neg = s.charCodeAt(j) === 45;
  if (neg) j++;
  let m = 0;
  const intStart = j;
  for (; j < b; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d < 0 || d > 9) break;
    m = m * 10 + d;
  }
  const intDigits = j - intStart;
  if (intDigits === 0 || intDigits > 15) return null;
  let frac = 0;
  if (j < b) {
    if (!decimal || s.charCodeAt(j) !== 46) return null;
    for (j++; j < b; j++) {
      const d = s.charCodeAt(j) - 48;
      if (d < 0 || d > 9) return null;
      m = m * 10 + d;
      frac++;
    }
    if (frac === 0 || frac > 15) return null;
  }
  const v = intDigits + frac <= 15 ? (frac ? m / POW10[frac] : m) : Number(s.slice(a, b));
  return neg ? -v : v;
}

function writeUint(buf: Buffer, p: number, n: number): number {
  let len = 1;
  for (let t = n; t >= 10; t = Math.floor(t / 10)) len++;
  for (let q = p + len - 1; q >= p; q--) {
    buf[q] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return p + len;
}
