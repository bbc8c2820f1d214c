/**
 * The column schema shared by the data import, training and inference: one place defines what a
 * valid value of each column type is, so a row accepted by the import is accepted by the model.
 */
export const COLUMN_TYPES = ['number', 'integer', 'boolean', 'category', 'text'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /** Allowed values of a `category` column; absent means any value is accepted. */
  categories?: string[];
}

export interface DatasetSchema {
  columns: ColumnSpec[];
}

/** A parsed cell: numbers for number/integer, booleans, strings for category/text, null = missing. */
export type CellValue = number | boolean | string | null;

/** Result of validating one value against a column: the typed value, or why it was refused. */
export type CellResult = { ok: true; value: CellValue } | { ok: false; reason: string };

// Plain decimal notation only: Number() would also accept '0x1f', 'Infinity' and '  ', which a
// CSV cell should not silently turn into a number.
const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TRUE_TOKENS = new Set(['true', '1']);
const FALSE_TOKENS = new Set(['false', '0']);

const ok = (value: CellValue): CellResult => ({ ok: true, value });
const fail = (reason: string): CellResult => ({ ok: false, reason });

function checkNumber(n: number, col: ColumnSpec): CellResult {
  if (!Number.isFinite(n)) return fail('not a finite number');
  // Safe integers only: beyond 2^53 a JS number can no longer hold every integer exactly.
  if (col.type === 'integer' && !Number.isSafeInteger(n)) return fail('not an integer');
  return ok(n);
}

function missing(col: ColumnSpec): CellResult {
  return col.nullable ? ok(null) : fail('missing value in a non-nullable column');
}

/**
 * The one validation rule set for a CSV cell (data import). `raw` is the unquoted text of the
 * cell, null for an absent cell. A category outside a fixed `categories` list is refused here.
 */
export function parseCell(raw: string | null, col: ColumnSpec, missingTokens: ReadonlySet<string>): CellResult {
  if (raw === null || raw === '' || missingTokens.has(raw)) return missing(col);
  switch (col.type) {
    case 'number':
    case 'integer': {
      const text = raw.trim();
      if (!NUMBER_RE.test(text)) return fail(`not a number: ${truncate(raw)}`);
      return checkNumber(Number(text), col);
    }
    case 'boolean': {
      const text = raw.trim().toLowerCase();
      if (TRUE_TOKENS.has(text)) return ok(true);
      if (FALSE_TOKENS.has(text)) return ok(false);
      return fail(`not a boolean (true/false/1/0): ${truncate(raw)}`);
    }
    case 'category':
      if (col.categories && !col.categories.includes(raw)) return fail(`unknown category: ${truncate(raw)}`);
      return ok(raw);
    case 'text':
      return ok(raw);
  }
}

/**
 * Validates a JSON value of a prediction request. Unlike the import, an unknown category is
 * accepted (the model maps it to its "unknown" slot); `undefined` (absent key) counts as missing.
 */
export function coerceFeature(value: unknown, col: ColumnSpec): CellResult {
  if (value === null || value === undefined) return missing(col);
  switch (col.type) {
    case 'number':
    case 'integer':
      if (typeof value !== 'number') return fail(`expected a number, got ${describe(value)}`);
      return checkNumber(value, col);
    case 'boolean':
      if (typeof value !== 'boolean') return fail(`expected a boolean, got ${describe(value)}`);
      return ok(value);
    case 'category':
    case 'text':
      if (typeof value === 'string') return ok(value);
      // A numeric code sent as a JSON number means the same as its string form.
      if (typeof value === 'number' && Number.isFinite(value)) return ok(String(value));
      return fail(`expected a string, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a non-finite number';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** A sample cell for inference: a bare string, or the text plus whether it was quoted in the CSV. */
export type SampleCell = string | null | { text: string; quoted: boolean };

/**
 * For csv-parse's `cast` option: keeps the quoting of each cell so that `inferSchema` can read
 * quoted values as categories (`cast: markQuoted`).
 */
export function markQuoted(value: string, context: { quoting: boolean }): SampleCell {
  return context.quoting ? { text: value, quoted: true } : value;
}

export interface InferOptions {
  /** A string column with at most this many distinct values is a category (default 50). */
  maxCategories?: number;
}

/**
 * Infers column types from sample rows. Order of preference: boolean (true/false only), integer,
 * number, category (quoted values, or few distinct values), text. A column with any missing
 * value is nullable. `categories` is left open: a sample cannot know every valid value.
 */
export function inferSchema(
  headers: string[],
  sampleRows: SampleCell[][],
  missingTokens: ReadonlySet<string>,
  options: InferOptions = {},
): DatasetSchema {
  const maxCategories = options.maxCategories ?? 50;
  const columns = headers.map((name, j): ColumnSpec => {
    const values: string[] = [];
    let nullable = false;
    let quoted = false;
    for (const row of sampleRows) {
      const cell = row[j] ?? null;
      const text = typeof cell === 'object' && cell !== null ? cell.text : cell;
      if (typeof cell === 'object' && cell !== null && cell.quoted) quoted = true;
      if (text === null || text === '' || missingTokens.has(text)) nullable = true;
      else values.push(text);
    }
    return { name, type: inferType(values, quoted, maxCategories), nullable };
  });
  return { columns };
}

function inferType(values: string[], quoted: boolean, maxCategories: number): ColumnType {
  if (values.length === 0) return 'text';
  if (!quoted) {
    if (values.every((v) => /^(true|false)$/i.test(v.trim()))) return 'boolean';
    if (values.every((v) => NUMBER_RE.test(v.trim()))) {
      const integral = values.every((v) => Number.isSafeInteger(Number(v.trim())));
      return integral ? 'integer' : 'number';
    }
  }
  // Quoted values are categorical by convention of the shipped data, unless they look like free
  // text (ten times more distinct values than a low-cardinality column).
  const distinct = new Set(values).size;
  return distinct <= (quoted ? 10 * maxCategories : maxCategories) ? 'category' : 'text';
}
