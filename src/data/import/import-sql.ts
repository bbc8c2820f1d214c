import type { DatasetSchema } from '../../ml';
import type { DatasetProfile } from '../profile/dataset-profile';
import type { Queryable } from '../sql/queryable';
import type { Rejection } from './row-encoder';

/**
 * Serialises the steps that must see a dataset's committed state (schema inference, version
 * numbering, duplicate check, deletion). Transaction-scoped: released by COMMIT, ROLLBACK or a
 * dropped connection, so a killed import cannot hold it.
 */
export async function lockDataset(db: Queryable, datasetId: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`data.dataset:${datasetId}`]);
}

export interface NewVersion {
  id: string;
  datasetId: string;
  rows: number;
  rejected: number;
  bytes: number;
  sha256: string;
  schema: DatasetSchema;
  target: string | null;
  missingTokens: string[];
  profile: DatasetProfile;
  sourceName: string | null;
  createdBy: string;
}

/** Inserts the version with the next number (the caller holds the dataset lock); returns the number. */
export async function saveVersion(db: Queryable, v: NewVersion): Promise<number> {
  const res = await db.query<{ number: number }>(
    `INSERT INTO data.dataset_versions (id, dataset_id, number, row_count, rejected_count, bytes, sha256, schema, target, missing_tokens, profile, source_name, created_by)
     SELECT $1, $2, coalesce(max(number), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM data.dataset_versions WHERE dataset_id = $2
     RETURNING number`,
    [
      v.id,
      v.datasetId,
      v.rows,
      v.rejected,
      v.bytes,
      v.sha256,
      JSON.stringify(v.schema),
      v.target,
      v.missingTokens,
      JSON.stringify(v.profile),
      v.sourceName,
      v.createdBy,
    ],
  );
  return res.rows[0].number;
}

export async function saveRejections(db: Queryable, versionId: string, rejections: Rejection[]): Promise<void> {
  const BATCH = 5000;
  for (let i = 0; i < rejections.length; i += BATCH) {
    const part = rejections.slice(i, i + BATCH);
    await db.query(
      `INSERT INTO data.rejected_rows (version_id, seq, line, column_name, value, reason)
       SELECT $1, $2::int + s.ord, s.line, s.col, s.val, s.reason
       FROM unnest($3::int[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS s(line, col, val, reason, ord)`,
      [
        versionId,
        i,
        part.map((r) => r.line),
        part.map((r) => r.column),
        part.map((r) => r.value),
        part.map((r) => r.reason),
      ],
    );
  }
}
