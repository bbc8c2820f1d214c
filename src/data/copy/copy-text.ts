import type { CellValue, ColumnType } from '../../ml';

/**
 * PostgreSQL's COPY text format (tab-separated, `\N` for null, backslash escapes), which the data
 * import writes and the row reader reads back. Chosen over CSV because it needs no quoting state:
 * encoding is one regex test per text cell.
 */
export const NEEDS_ESCAPE = /[\\\t\n\r]/;

export function encodeCopyValue(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, escapeChar) : value;
}

function escapeChar(c: string): string {
  switch (c) {
    case '\\':
      return '\\\\';
    case '\t':
      return '\\t';
    case '\n':
      return '\\n';
    default:
      return '\\r';
  }
}

const UNESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Undoes COPY TO's escapes (it writes only these, never octal or hex). */
export function unescapeCopyText(field: string): string {
  if (field.indexOf('\\') === -1) return field;
  return field.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c);
}

/** One COPY TO text field into the column's JS value. */
export function decodeCopyValue(field: string, type: ColumnType): CellValue {
  if (field === '\\N') return null;
  switch (type) {
    case 'number':
    case 'integer':
      return Number(field);
    case 'boolean':
      return field === 't';
    case 'category':
    case 'text':
      return unescapeCopyText(field);
  }
}
