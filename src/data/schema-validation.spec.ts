import { validateSchema } from './schema-validation';

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
