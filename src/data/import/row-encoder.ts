import { parseCell, type ColumnSpec, type DatasetSchema } from '../../ml/schema';
import { encodeCopyValue } from '../copy/copy-text';

/** A value refused by the schema, kept with where it was found. */
export interface Rejection {
  line: number;
  /** The user's column name. */
  column: string;
  value: string;
  reason: string;
}

const MAX_KEPT_VALUE = 200;

/**
 * Validates parsed records against the schema (ml `parseCell`, the one rule set shared with
 * inference) and turns each accepted record into a COPY text line:
 * `version_id \t row_no \t c1 … cN`. A record with any bad cell is rejected whole, every bad
 * cell reported (one Rejection per cell).
 */
export class RowEncoder {
  private readonly columns: ColumnSpec[];
  private readonly prefix: string;
  accepted = 0;
  rejectedRows = 0;

  constructor(
    schema: DatasetSchema,
    /** order[i] = field of the file holding schema column i. */
    private readonly order: number[],
    versionId: string,
    private readonly missingTokens: ReadonlySet<string>,
    private readonly onReject: (r: Rejection) => void,
  ) {
    this.columns = schema.columns;
    this.prefix = `${versionId}\t`;
  }

  /** The COPY line (with its newline) or '' when the record was rejected. */
  encode(fields: string[], line: number): string {
    let out = '';
    let bad = false;
    for (let i = 0; i < this.columns.length; i++) {
      const col = this.columns[i]!;
      const raw = fields[this.order[i]!]!;
      const res = parseCell(raw, col, this.missingTokens);
      if (res.ok) {
        if (!bad) out += '\t' + encodeCopyValue(res.value);
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
    return this.prefix + this.accepted + out + '\n';
  }
}
