import type { ErrorDetailInput } from '../common/errors/domain-error';
import { COLUMN_TYPES, type DatasetSchema } from '../ml';

/** PostgreSQL allows 1600 columns a table; two are the version id and row number. */
export const MAX_COLUMNS = 1598;

/** Rules a declared schema must follow beyond its DTO shape: unique names, categories on categories, a known target. */
export function validateSchema(schema: DatasetSchema, target: string | null): ErrorDetailInput[] {
  const details: ErrorDetailInput[] = [];
  const cols = schema.columns;
  if (cols.length === 0) details.push({ field: 'schema.columns', message: 'at least one column is required' });
  if (cols.length > MAX_COLUMNS) details.push({ field: 'schema.columns', message: `at most ${MAX_COLUMNS} columns` });
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
