import type { ColumnType, DatasetSchema } from '../ml/schema';
import { dataColumn, qualifiedTable, quoteIdent } from './sql/identifiers';

/**
 * The per-dataset row table, created at runtime when a dataset's schema is fixed (declared at
 * creation or inferred by its first import) and dropped with the dataset: rows are data, so
 * they are not in migrations. Layout: `version_id uuid, row_no bigint, c1..cN` typed per the
 * schema; the primary key (version_id, row_no) both separates versions and gives reads their
 * stable file order.
 */
const SQL_TYPES: Record<ColumnType, string> = {
  number: 'double precision',
  integer: 'bigint',
  boolean: 'boolean',
  category: 'text',
  text: 'text',
};

/**
 * `primaryKey: false` is for a table created and filled in one transaction (a first import): it
 * is COPYed into bare and gets its key from `addPrimaryKeySql` before the commit, one sorted
 * index build instead of a btree insertion per row.
 */
export function createTableSql(table: string, schema: DatasetSchema, options: { primaryKey?: boolean } = {}): string {
  const cols = schema.columns.map((c, i) => `${quoteIdent(dataColumn(i))} ${SQL_TYPES[c.type]}`);
  const key = options.primaryKey === false ? '' : ', PRIMARY KEY (version_id, row_no)';
  return `CREATE TABLE ${qualifiedTable(table)} (version_id uuid NOT NULL, row_no bigint NOT NULL, ${cols.join(', ')}${key})`;
}

export function addPrimaryKeySql(table: string): string {
  return `ALTER TABLE ${qualifiedTable(table)} ADD PRIMARY KEY (version_id, row_no)`;
}

export function dropTableSql(table: string): string {
  return `DROP TABLE IF EXISTS ${qualifiedTable(table)}`;
}

/** `freeze`: only for a table created in the same transaction (COPY FREEZE's own rule). */
export function copyFromSql(table: string, schema: DatasetSchema, options: { freeze?: boolean } = {}): string {
  const cols = ['version_id', 'row_no', ...schema.columns.map((_, i) => dataColumn(i))].map(quoteIdent);
  return `COPY ${qualifiedTable(table)} (${cols.join(', ')}) FROM STDIN${options.freeze ? ' WITH (FREEZE)' : ''}`;
}
