import { parseCell, type CellValue, type ColumnSpec, type DatasetSchema } from '../../ml/schema';
import { encodeCopyValue } from '../copy/copy-text';
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
const NEEDS_ESCAPE = /[\\\t\n\r]/;

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
    this.fast = schema.columns.map((c) =>
      c.type === 'integer' ? PLAIN_INTEGER : c.type === 'number' ? PLAIN_DECIMAL : c.type === 'boolean' ? undefined : c.categories ? new Set(c.categories) : null,
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
        this.onReject({ line, column: col.name, value: raw.length > MAX_KEPT_VALUE ? raw.slice(0, MAX_KEPT_VALUE) + '…' : raw, reason: res.reason });
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
}
