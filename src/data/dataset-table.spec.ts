import { addPrimaryKeySql, copyFromSql, createTableSql } from './dataset-table';

describe('dataset table SQL', () => {
  const schema = {
    columns: [
      { name: 'x"; DROP TABLE users; --', type: 'number' as const, nullable: true },
      { name: 'été 2024', type: 'category' as const, nullable: false },
      { name: 'ok', type: 'boolean' as const, nullable: true },
      { name: 'n', type: 'integer' as const, nullable: true },
    ],
  };
  it('uses internal column names only, never the user names', () => {
    const sql = createTableSql('ds_abc', schema);
    expect(sql).toBe(
      'CREATE TABLE "data"."ds_abc" (version_id uuid NOT NULL, row_no bigint NOT NULL, "c1" double precision, "c2" text, "c3" boolean, "c4" bigint, PRIMARY KEY (version_id, row_no))',
    );
    expect(sql).not.toContain('DROP');
    expect(copyFromSql('ds_abc', schema)).toBe('COPY "data"."ds_abc" ("version_id", "row_no", "c1", "c2", "c3", "c4") FROM STDIN');
  });

  it('a first import fills a bare table (COPY FREEZE) and adds the key afterwards', () => {
    expect(createTableSql('ds_abc', schema, { primaryKey: false })).not.toContain('PRIMARY KEY');
    expect(copyFromSql('ds_abc', schema, { freeze: true })).toMatch(/FROM STDIN WITH \(FREEZE\)$/);
    expect(addPrimaryKeySql('ds_abc')).toBe('ALTER TABLE "data"."ds_abc" ADD PRIMARY KEY (version_id, row_no)');
  });
});
