import type { DatasetSchema } from '../../ml/schema';
import { OTHER_CATEGORY } from '../../ml/profile';
import { dataColumn, qualifiedTable, quoteIdent } from '../sql/identifiers';
import type { Queryable } from '../sql/queryable';
import {
  TOP_N,
  categoryFromTop,
  edgesFromDeciles,
  histogramFromBuckets,
  numericFromSummary,
  quantileProbabilities,
  type ColumnProfile,
  type DatasetProfile,
} from './dataset-profile';

const isNumeric = (type: string) => type === 'number' || type === 'integer';

/**
 * Profiles one version in PostgreSQL, three scans whatever the column count: (1) counts, mean,
 * std, min, max and percentile_cont for every column, (2) histogram counts over the decile edges,
 * (3) top-N values of every other column. Exact, reproducible, and the app holds only the answer.
 */
export async function profileVersion(db: Queryable, table: string, schema: DatasetSchema, versionId: string): Promise<DatasetProfile> {
  const t = qualifiedTable(table);
  const cols = schema.columns.map((c, i) => ({ spec: c, ident: quoteIdent(dataColumn(i)), i }));
  const numeric = cols.filter((c) => isNumeric(c.spec.type));
  const other = cols.filter((c) => !isNumeric(c.spec.type));

  const parts = ['count(*)::float8 AS "rows"'];
  for (const c of cols) parts.push(`count(${c.ident})::float8 AS "n${c.i}"`);
  for (const c of numeric) {
    const x = `${c.ident}::float8`;
    parts.push(
      `avg(${c.ident})::float8 AS "mean${c.i}"`,
      `stddev_samp(${c.ident})::float8 AS "std${c.i}"`,
      `min(${x}) AS "min${c.i}"`,
      `max(${x}) AS "max${c.i}"`,
      `percentile_cont($2::float8[]) WITHIN GROUP (ORDER BY ${x}) AS "q${c.i}"`,
    );
  }
  const [summary] = (await db.query<Record<string, number | number[] | null>>(`SELECT ${parts.join(', ')} FROM ${t} WHERE version_id = $1`, [versionId, quantileProbabilities()])).rows;
  const s = summary!;
  const rows = s.rows as number;
  const profiles = new Map<number, ColumnProfile>();

  const edgesOf = new Map<number, number[]>();
  for (const c of numeric) {
    const qs = s[`q${c.i}`] as number[] | null;
    if (qs) edgesOf.set(c.i, edgesFromDeciles(qs.slice(qs.length - 11)));
  }
  const buckets = await histogramBuckets(db, t, numeric.filter((c) => edgesOf.has(c.i)), edgesOf, versionId);
  for (const c of numeric) {
    const edges = edgesOf.get(c.i);
    const histogram = edges ? histogramFromBuckets(edges, buckets.get(c.i) ?? []) : undefined;
    const profile = numericFromSummary(
      { rows, count: s[`n${c.i}`] as number, mean: s[`mean${c.i}`] as number | null, std: s[`std${c.i}`] as number | null, min: s[`min${c.i}`] as number | null, max: s[`max${c.i}`] as number | null, quantiles: s[`q${c.i}`] as number[] | null },
      histogram,
    );
    profiles.set(c.i, { name: c.spec.name, type: c.spec.type, profile });
  }

  const tops = await topValues(db, t, other, versionId);
  for (const c of other) {
    const top = tops.get(c.i) ?? { distinct: 0, top: [] };
    profiles.set(c.i, { name: c.spec.name, type: c.spec.type, profile: categoryFromTop(rows, s[`n${c.i}`] as number, top.distinct, top.top) });
  }
  return { rows, topN: TOP_N, otherLabel: OTHER_CATEGORY, columns: cols.map((c) => profiles.get(c.i)!) };
}

type Col = { ident: string; i: number };

async function histogramBuckets(db: Queryable, t: string, cols: Col[], edgesOf: Map<number, number[]>, versionId: string) {
  const out = new Map<number, { bucket: number; count: number }[]>();
  if (!cols.length) return out;
  const params: unknown[] = [versionId];
  const values = cols.map((c) => {
    const edges = edgesOf.get(c.i)!;
    params.push(edges, edges[edges.length - 1]);
    const e = `$${params.length - 1}::float8[]`;
    const last = `$${params.length}::float8`;
    // width_bucket puts x = last edge above the range; the last bin is closed, so move it back in.
    return `(${c.i}, CASE WHEN ${c.ident}::float8 = ${last} THEN ${edges.length - 1} ELSE width_bucket(${c.ident}::float8, ${e}) END)`;
  });
  const sql = `SELECT v.col, v.bucket, count(*)::float8 AS n FROM ${t} CROSS JOIN LATERAL (VALUES ${values.join(', ')}) AS v(col, bucket)
    WHERE version_id = $1 AND v.bucket IS NOT NULL GROUP BY v.col, v.bucket`;
  for (const r of (await db.query<{ col: number; bucket: number; n: number }>(sql, params)).rows) {
    const list = out.get(r.col) ?? [];
    list.push({ bucket: r.bucket, count: r.n });
    out.set(r.col, list);
  }
  return out;
}

async function topValues(db: Queryable, t: string, cols: Col[], versionId: string) {
  const out = new Map<number, { distinct: number; top: { value: string; count: number }[] }>();
  if (!cols.length) return out;
  const values = cols.map((c) => `(${c.i}, ${c.ident}::text)`).join(', ');
  // COLLATE "C": ties ordered by code point, as the ML library's JS string comparison does.
  const sql = `SELECT col, val, n, distinct_n FROM (
      SELECT v.col, v.val, count(*)::float8 AS n,
        row_number() OVER (PARTITION BY v.col ORDER BY count(*) DESC, v.val COLLATE "C") AS rk,
        (count(*) OVER (PARTITION BY v.col))::float8 AS distinct_n
      FROM ${t} CROSS JOIN LATERAL (VALUES ${values}) AS v(col, val)
      WHERE version_id = $1 AND v.val IS NOT NULL GROUP BY v.col, v.val) s
    WHERE rk <= ${TOP_N} ORDER BY col, rk`;
  for (const r of (await db.query<{ col: number; val: string; n: number; distinct_n: number }>(sql, [versionId])).rows) {
    const entry = out.get(r.col) ?? { distinct: r.distinct_n, top: [] };
    entry.top.push({ value: r.val, count: r.n });
    out.set(r.col, entry);
  }
  return out;
}
