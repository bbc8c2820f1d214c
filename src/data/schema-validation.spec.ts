import { tableLimitProblems, validateSchema } from './schema-validation';

describe('validateSchema', () => {
  it('accepts a valid schema with a target', () => {
    expect(
      validateSchema(
        {
          columns: [
            { name: 'y', type: 'category', nullable: false, categories: ['a', 'b'] },
            { name: 'x', type: 'number', nullable: true },
          ],
        },
        'y',
      ),
    ).toEqual([]);
  });
  it('names each problem', () => {
    const details = validateSchema(
      {
        columns: [
          { name: 'x', type: 'number', nullable: true, categories: ['a'] },
          { name: 'x', type: 'category', nullable: true, categories: ['a', 'a'] },
          { name: '', type: 'float' as never, nullable: true },
        ],
      },
      'nope',
    );
    expect(details).toEqual([
      { field: 'schema.columns.0.categories', message: 'only a category column has categories' },
      { field: 'schema.columns.1.name', message: 'duplicate column name "x"' },
      { field: 'schema.columns.1.categories', message: 'values must be unique' },
      { field: 'schema.columns.2.name', message: 'must not be empty' },
      { field: 'schema.columns.2.type', message: 'must be one of number, integer, boolean, category, text' },
      { field: 'target', message: 'no column named "nope" in the schema' },
    ]);
    expect(validateSchema({ columns: [] }, null)).toEqual([
      { field: 'schema.columns', message: 'at least one column is required' },
    ]);
  });
});

describe('tableLimitProblems', () => {
  const of = (n: number, type: 'integer' | 'boolean' | 'text') => ({
    columns: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, type, nullable: true })),
  });
  it('holds a row to one page: 1,014 eight-byte columns fit, 1,015 do not (as measured on PostgreSQL 15)', () => {
    expect(tableLimitProblems(of(1014, 'integer'))).toEqual([]);
    expect(tableLimitProblems(of(1015, 'integer'))[0].message).toMatch(/at least 8168 bytes/);
  });
  it('counts booleans and short text by their least size, so only the column limit stops them', () => {
    expect(tableLimitProblems(of(1598, 'boolean'))).toEqual([]);
    expect(tableLimitProblems(of(1598, 'text'))).toEqual([]);
    expect(tableLimitProblems(of(1599, 'boolean'))[0].message).toMatch(/1599 columns: a dataset has at most 1598/);
  });
});
