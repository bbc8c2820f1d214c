/**
 * The one place where names become SQL. User-given names (dataset, column) never reach SQL: the
 * per-dataset table is `data.ds_<uuid hex>` and its columns `c1..cN`; the user's names are kept as
 * metadata (the version's schema). Every identifier still goes through `quoteIdent`, so even an
 * internal name cannot break out of its quotes.
 */
const MAX_IDENTIFIER_BYTES = 63; // NAMEDATALEN - 1: PostgreSQL silently truncates longer names.
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('an SQL identifier cannot be empty');
  if (name.includes('\0')) throw new Error('an SQL identifier cannot contain NUL');
  // Refused rather than truncated: two long names could otherwise collide after truncation.
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES)
    throw new Error('an SQL identifier is limited to 63 bytes');
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A string literal, for the few statements that take no bind parameters (COPY). Relies on
 * standard_conforming_strings=on (the default since PostgreSQL 9.1): backslashes are literal.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('an SQL literal cannot contain NUL');
  return `'${value.replace(/'/g, "''")}'`;
}

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** Internal name of a dataset's row table: derived from its id, never from its user-given name. */
export function datasetTableName(datasetId: string): string {
  if (!isUuid(datasetId)) throw new Error('a dataset id must be a uuid');
  return `ds_${datasetId.toLowerCase().replace(/-/g, '')}`;
}

/** `data."ds_…"`, quoted. */
export function qualifiedTable(table: string): string {
  return `${quoteIdent('data')}.${quoteIdent(table)}`;
}

/** Internal name of the schema's i-th column (0-based i → c1). */
export function dataColumn(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new Error('a column index must be a non-negative integer');
  return `c${index + 1}`;
}
