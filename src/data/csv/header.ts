import type { ErrorDetailInput } from '../../common/errors/domain-error';
import type { DatasetSchema } from '../../ml';
import { delimiterHint } from './delimiter';

export type HeaderCheck = { ok: true; order: number[] } | { ok: false; noHeader: boolean; details: ErrorDetailInput[] };

const LOOKS_LIKE_DATA = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^$/;

/**
 * Matches a header row with the schema's columns, in any order. `order[i]` is the file field
 * that holds schema column i. A header that names none of the columns is reported as "no
 * header" (the first line is data); otherwise each missing, unknown or repeated column is named.
 */
export function matchHeader(schema: DatasetSchema, header: string[]): HeaderCheck {
  const position = new Map<string, number>();
  const details: ErrorDetailInput[] = [];
  header.forEach((name, j) => {
    if (position.has(name))
      details.push({ field: name, message: 'column appears twice in the header', line: 1, column: j + 1 });
    else position.set(name, j);
  });
  const known = new Set(schema.columns.map((c) => c.name));
  const hint = header.length === 1 ? delimiterHint(header[0]) : null;
  if (hint) return { ok: false, noHeader: false, details: [{ field: 'header', message: hint, line: 1 }] };
  if (!header.some((h) => known.has(h))) {
    return {
      ok: false,
      noHeader: true,
      details: [
        {
          field: 'header',
          message: 'the first line names none of the schema columns: the file has no header row',
          line: 1,
        },
      ],
    };
  }
  const order: number[] = [];
  for (const col of schema.columns) {
    const j = position.get(col.name);
    if (j === undefined) details.push({ field: col.name, message: 'column missing from the header', line: 1 });
    else order.push(j);
  }
  header.forEach((name, j) => {
    if (!known.has(name))
      details.push({ field: name, message: 'unknown column (not in the dataset schema)', line: 1, column: j + 1 });
  });
  return details.length ? { ok: false, noHeader: false, details } : { ok: true, order };
}

/** For inference: a header must name each column once, and a name must not look like a value. */
export function checkInferredHeader(header: string[]): ErrorDetailInput[] {
  // One column whose name holds another delimiter would import a whole row per cell.
  const hint = header.length === 1 ? delimiterHint(header[0]) : null;
  if (hint) return [{ field: 'header', message: hint, line: 1 }];
  const seen = new Set<string>();
  const details: ErrorDetailInput[] = [];
  header.forEach((name, j) => {
    if (LOOKS_LIKE_DATA.test(name.trim()))
      details.push({
        field: 'header',
        message: `"${name}" is not a column name: the file has no header row`,
        line: 1,
        column: j + 1,
      });
    else if (seen.has(name))
      details.push({ field: name, message: 'column appears twice in the header', line: 1, column: j + 1 });
    seen.add(name);
  });
  return details;
}
