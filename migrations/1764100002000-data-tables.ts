import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The data module's catalogue. The rows themselves live in one table per dataset,
 * `data.ds_<dataset uuid hex>` (columns version_id, row_no, c1..cN), created at runtime by the
 * import when the dataset's schema is fixed: those tables are data, not schema, and are dropped
 * with their dataset (see src/data/dataset-table.ts).
 */
export class DataTables1764100002000 implements MigrationInterface {
  name = 'DataTables1764100002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE data.datasets (
        id uuid PRIMARY KEY,
        name text NOT NULL CONSTRAINT datasets_name_key UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
        target text,
        schema jsonb,
        schema_source text NOT NULL CHECK (schema_source IN ('declared', 'inferred', 'confirmed', 'none')),
        table_name text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE data.dataset_versions (
        id uuid PRIMARY KEY,
        dataset_id uuid NOT NULL REFERENCES data.datasets(id) ON DELETE CASCADE,
        number integer NOT NULL,
        row_count bigint NOT NULL,
        rejected_count bigint NOT NULL,
        bytes bigint NOT NULL,
        sha256 text NOT NULL,
        schema jsonb NOT NULL,
        target text,
        missing_tokens text[] NOT NULL,
        profile jsonb NOT NULL,
        source_name text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT dataset_versions_number_key UNIQUE (dataset_id, number),
        CONSTRAINT dataset_versions_sha256_key UNIQUE (dataset_id, sha256)
      )`);
    await q.query(`
      CREATE TABLE data.rejected_rows (
        version_id uuid NOT NULL REFERENCES data.dataset_versions(id) ON DELETE CASCADE,
        seq integer NOT NULL,
        line integer NOT NULL,
        column_name text NOT NULL,
        value text NOT NULL,
        reason text NOT NULL,
        PRIMARY KEY (version_id, seq)
      )`);
    await q.query(`
      CREATE TABLE data.imports (
        id uuid PRIMARY KEY,
        dataset_id uuid NOT NULL REFERENCES data.datasets(id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'duplicate', 'failed')),
        source_name text,
        rows_read bigint NOT NULL DEFAULT 0,
        rows_rejected bigint NOT NULL DEFAULT 0,
        bytes_read bigint NOT NULL DEFAULT 0,
        bytes_total bigint,
        version_id uuid,
        error jsonb,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query('CREATE INDEX imports_dataset_id_idx ON data.imports (dataset_id, created_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    // The runtime row tables belong to the datasets: drop them with the catalogue.
    const tables = (await q.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'data' AND table_name LIKE 'ds\\_%'",
    )) as { table_name: string }[];
    for (const { table_name } of tables) await q.query(`DROP TABLE data."${table_name.replace(/"/g, '""')}"`);
    await q.query('DROP TABLE data.imports');
    await q.query('DROP TABLE data.rejected_rows');
    await q.query('DROP TABLE data.dataset_versions');
    await q.query('DROP TABLE data.datasets');
  }
}
