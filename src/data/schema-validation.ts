import type { ErrorDetailInput } from '../common/errors/domain-error';
import { COLUMN_TYPES, type DatasetSchema } from '../ml';
import { fullRowBytes, MAX_COLUMNS, MAX_ROW_BYTES } from './dataset-table';

export { MAX_COLUMNS };

/** What of a schema its row table could not hold (declared or inferred alike), checked before the table is made. */
export function tableLimitProblems(schema: DatasetSchema): ErrorDetailInput[] {
  const n = schema.columns.length;
  if (n > MAX_COLUMNS)
    return [
      { field: 'schema.columns', message: `${n} columns: a dataset has at most ${MAX_COLUMNS} (PostgreSQL's limit)` },
    ];
  const bytes = fullRowBytes(schema);
  if (bytes > MAX_ROW_BYTES)
    return [
      {
        field: 'schema.columns',
        message: `a row of these ${n} columns takes at least ${bytes} bytes: PostgreSQL stores at most ${MAX_ROW_BYTES} a row (about ${Math.floor((MAX_ROW_BYTES - 48) / 8)} number or integer columns)`,
      },
    ];
  return [];
}

/** Rules a declared schema must follow beyond its DTO shape: unique names, categories on categories, a known target. */
export function validateSchema(schema: DatasetSchema, target: string | null): ErrorDetailInput[] {
  const details: ErrorDetailInput[] = [];
  const cols = schema.columns;
  if (cols.length === 0) details.push({ field: 'schema.columns', message: 'at least one column is required' });
  details.push(...tableLimitProblems(schema));
  const seen = new Set<string>();
  cols.forEach((c, i) => {
    const field = `schema.columns.${i}`;
    if (!c.name) details.push({ field: `${field}.name`, message: 'must not be empty' });
    if (seen.has(c.name))
      details.push({ field: `${field}.name`, message: `duplicate column name ${JSON.stringify(c.name)}` });
    seen.add(c.name);
    if (!COLUMN_TYPES.includes(c.type))
      details.push({ field: `${field}.type`, message: `must be one of ${COLUMN_TYPES.join(', ')}` });
    if (c.categories !== undefined) {
      if (c.type !== 'category')
        details.push({ field: `${field}.categories`, message: 'only a category column has categories' });
      else if (c.categories.length === 0)
        details.push({ field: `${field}.categories`, message: 'must not be empty (omit it to accept any value)' });
      else if (new Set(c.categories).size !== c.categories.length)
        details.push({ field: `${field}.categories`, message: 'values must be unique' });
    }
  });
  if (target !== null && !seen.has(target))
    details.push({ field: 'target', message: `no column named ${JSON.stringify(target)} in the schema` });
  return details;
}
