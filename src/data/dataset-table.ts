import type { ColumnType, DatasetSchema } from '../ml';
import { dataColumn, isUuid, qualifiedTable, quoteIdent, quoteLiteral } from './sql/identifiers';

/**
 * The per-dataset row table, created at runtime when a dataset's schema is fixed (declared at
 * creation or inferred by its first import) and dropped with the dataset: rows are data, so
 * they are not in migrations. Layout: `version_id uuid, row_no bigint, c1..cN` typed per the
 * schema; the primary key (version_id, row_no) both separates versions and gives reads their
 * stable file order.
 *
 * Tables created since the import's speed work are partitioned by version (LIST on version_id):
 * each import COPYs into a table of its own, created in its transaction (COPY FREEZE, no index
 * to maintain row by row), keys it with one sorted build, and attaches it; readers still query
 * the dataset's table. Tables created before stay plain and are imported into as they were.
 */
const SQL_TYPES: Record<ColumnType, string> = {
  number: 'double precision',
  integer: 'bigint',
  boolean: 'boolean',
  category: 'text',
  text: 'text',
};

/** PostgreSQL's limits on a table: 1,600 columns (two are the version id and row number), and a row in one 8 kB page. */
export const MAX_COLUMNS = 1598;
export const MAX_ROW_BYTES = 8160;

/**
 * How a present value of each type lays out in a heap row: fixed-width numbers are 8-byte
 * aligned; text and category count their least (a one-character value, one byte of header).
 */
const STORAGE: Record<ColumnType, { bytes: number; align: number }> = {
  number: { bytes: 8, align: 8 },
  integer: { bytes: 8, align: 8 },
  boolean: { bytes: 1, align: 1 },
  category: { bytes: 2, align: 1 },
  text: { bytes: 2, align: 1 },
};

const alignTo = (n: number, a: number) => Math.ceil(n / a) * a;

/**
 * The least size of a row with every value present: tuple header (24), version id (16), row
 * number (8), then each column as aligned. Over MAX_ROW_BYTES, PostgreSQL refuses every complete row
 * ("row is too big"), whatever the values.
 */
export function fullRowBytes(schema: DatasetSchema): number {
  let size = 24 + 16 + 8;
  for (const c of schema.columns) {
    // An unknown type is reported by the schema checks; here it counts as the least.
    const { bytes, align } = Object.hasOwn(STORAGE, c.type) ? STORAGE[c.type] : STORAGE.text;
    size = alignTo(size, align) + bytes;
  }
  return size;
}

/** A plain table (as made before partitioning; tests use it to check that those still import). */
export function createTableSql(table: string, schema: DatasetSchema): string {
  const cols = schema.columns.map((c, i) => `${quoteIdent(dataColumn(i))} ${SQL_TYPES[c.type]}`);
  return `CREATE TABLE ${qualifiedTable(table)} (version_id uuid NOT NULL, row_no bigint NOT NULL, ${cols.join(', ')}, PRIMARY KEY (version_id, row_no))`;
}

export function createPartitionedTableSql(table: string, schema: DatasetSchema): string {
  return `${createTableSql(table, schema)} PARTITION BY LIST (version_id)`;
}

/** A version's own table: `v_<uuid hex>` (63-byte names leave no room for the dataset's id too). */
export function versionTableName(versionId: string): string {
  if (!isUuid(versionId)) throw new Error('a version id must be a uuid');
  return `v_${versionId.toLowerCase().replace(/-/g, '')}`;
}

/** Bare (no key yet); its CHECK lets ATTACH skip the scan that would prove the partition bound. */
export function createVersionTableSql(parent: string, part: string, versionId: string): string {
  if (!isUuid(versionId)) throw new Error('a version id must be a uuid');
  return `CREATE TABLE ${qualifiedTable(part)} (LIKE ${qualifiedTable(parent)}, CHECK (version_id = ${quoteLiteral(versionId)}::uuid))`;
}

export function attachVersionSql(parent: string, part: string, versionId: string): string {
  if (!isUuid(versionId)) throw new Error('a version id must be a uuid');
  return `ALTER TABLE ${qualifiedTable(parent)} ATTACH PARTITION ${qualifiedTable(part)} FOR VALUES IN (${quoteLiteral(versionId)})`;
}

export function addPrimaryKeySql(table: string): string {
  return `ALTER TABLE ${qualifiedTable(table)} ADD PRIMARY KEY (version_id, row_no)`;
}

export function dropTableSql(table: string): string {
  return `DROP TABLE IF EXISTS ${qualifiedTable(table)}`;
}

/** `freeze`: only for a table created in the same transaction (COPY FREEZE's own rule): a version's table. */
export function copyFromSql(table: string, schema: DatasetSchema, options: { freeze?: boolean } = {}): string {
  const cols = ['version_id', 'row_no', ...schema.columns.map((_, i) => dataColumn(i))].map(quoteIdent);
  return `COPY ${qualifiedTable(table)} (${cols.join(', ')}) FROM STDIN${options.freeze ? ' WITH (FREEZE)' : ''}`;
}
