import {
  addPrimaryKeySql,
  attachVersionSql,
  copyFromSql,
  createPartitionedTableSql,
  createTableSql,
  createVersionTableSql,
  versionTableName,
} from './dataset-table';

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
    expect(copyFromSql('ds_abc', schema)).toBe(
      'COPY "data"."ds_abc" ("version_id", "row_no", "c1", "c2", "c3", "c4") FROM STDIN',
    );
  });

  it('partitions by version: a bare table per import (COPY FREEZE), keyed afterwards, then attached', () => {
    const vid = '00000000-0000-4000-8000-0000000000ab';
    expect(createPartitionedTableSql('ds_abc', schema)).toMatch(
      /PRIMARY KEY \(version_id, row_no\)\) PARTITION BY LIST \(version_id\)$/,
    );
    expect(versionTableName(vid)).toBe('v_000000000000400080000000000000ab');
    expect(createVersionTableSql('ds_abc', 'v_1', vid)).toBe(
      `CREATE TABLE "data"."v_1" (LIKE "data"."ds_abc", CHECK (version_id = '${vid}'::uuid))`,
    );
    expect(copyFromSql('v_1', schema, { freeze: true })).toMatch(/FROM STDIN WITH \(FREEZE\)$/);
    expect(addPrimaryKeySql('v_1')).toBe('ALTER TABLE "data"."v_1" ADD PRIMARY KEY (version_id, row_no)');
    expect(attachVersionSql('ds_abc', 'v_1', vid)).toBe(
      `ALTER TABLE "data"."ds_abc" ATTACH PARTITION "data"."v_1" FOR VALUES IN ('${vid}')`,
    );
    expect(() => versionTableName("x'); DROP TABLE users; --")).toThrow();
  });
});
