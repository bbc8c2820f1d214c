import { unescapeCopyText } from '../../database/copy-text';
import type { CellValue, ColumnType } from '../../ml/schema';

/** Decoding of PostgreSQL's COPY text format into column values (the text itself: src/database/copy-text.ts). */
export { encodeCopyValue, unescapeCopyText } from '../../database/copy-text';

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
