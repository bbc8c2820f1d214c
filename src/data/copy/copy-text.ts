import type { CellValue, ColumnType } from '../../ml/schema';

/** Decoding of PostgreSQL's COPY text format (encoding is shared: src/database/copy-text.ts). */
export { encodeCopyValue } from '../../database/copy-text';

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
