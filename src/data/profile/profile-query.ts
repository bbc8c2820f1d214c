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
import { histogramFromFrequencies, quantilesFromFrequencies } from './frequencies';

const isNumeric = (type: string) => type === 'number' || type === 'integer';
/** Above this many distinct values a column's quantiles are sorted in SQL instead. */
const MAX_FREQUENCIES = 20_000;

type Col = { ident: string; i: number };

/**
 * Profiles one version in PostgreSQL, exactly and reproducibly, holding only aggregates in the
 * app: one scan for counts, mean, std (float8, stddev_samp), min and max; then per column one
 * GROUP BY: value frequencies of a numeric column give its exact percentile_cont quantiles and
 * histogram (a column with more than MAX_FREQUENCIES distinct values uses percentile_cont and
 * width_bucket instead), and the top-N of any other column.
 */
export async function profileVersion(db: Queryable, table: string, schema: DatasetSchema, versionId: string): Promise<DatasetProfile> {
  const t = qualifiedTable(table);
  const cols = schema.columns.map((c, i) => ({ spec: c, ident: quoteIdent(dataColumn(i)), i }));
  const parts = ['count(*)::float8 AS "rows"'];
  for (const c of cols) {
    parts.push(`count(${c.ident})::float8 AS "n${c.i}"`);
    if (!isNumeric(c.spec.type)) continue;
    const x = `${c.ident}::float8`;
    parts.push(`avg(${x}) AS "mean${c.i}"`, `stddev_samp(${x}) AS "std${c.i}"`, `min(${x}) AS "min${c.i}"`, `max(${x}) AS "max${c.i}"`);
  }
  const s = (await db.query<Record<string, number | null>>(`SELECT ${parts.join(', ')} FROM ${t} WHERE version_id = $1`, [versionId])).rows[0];
  const rows = s.rows!;
  const probabilities = quantileProbabilities();
  const out: ColumnProfile[] = [];
  for (const c of cols) {
    const count = s[`n${c.i}`]!;
    if (!isNumeric(c.spec.type)) {
      const top = await topValues(db, t, c, versionId);
      out.push({ name: c.spec.name, type: c.spec.type, profile: categoryFromTop(rows, count, top.distinct, top.top) });
      continue;
    }
    let quantiles: number[] | null = null;
    let histogram;
    if (count > 0) {
      const freq = await frequencies(db, t, c, versionId);
      quantiles = freq ? quantilesFromFrequencies(freq, probabilities) : await sqlQuantiles(db, t, c, versionId, probabilities);
      const edges = edgesFromDeciles(quantiles.slice(quantiles.length - 11));
      histogram = freq ? histogramFromFrequencies(freq, edges) : histogramFromBuckets(edges, await sqlBuckets(db, t, c, versionId, edges));
    }
    const summary = { rows, count, mean: s[`mean${c.i}`] ?? null, std: s[`std${c.i}`] ?? null, min: s[`min${c.i}`] ?? null, max: s[`max${c.i}`] ?? null, quantiles };
    out.push({ name: c.spec.name, type: c.spec.type, profile: numericFromSummary(summary, histogram) });
  }
  return { rows, topN: TOP_N, otherLabel: OTHER_CATEGORY, columns: out };
}

async function frequencies(db: Queryable, t: string, c: Col, versionId: string) {
  const res = await db.query<{ v: number; n: number }>(
    `SELECT ${c.ident}::float8 AS v, count(*)::float8 AS n FROM ${t} WHERE version_id = $1 AND ${c.ident} IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT ${MAX_FREQUENCIES + 1}`,
    [versionId],
  );
  if (res.rows.length > MAX_FREQUENCIES) return null;
  return { values: res.rows.map((r) => r.v), counts: res.rows.map((r) => r.n) };
}

async function sqlQuantiles(db: Queryable, t: string, c: Col, versionId: string, probabilities: number[]): Promise<number[]> {
  const res = await db.query<{ q: number[] }>(`SELECT percentile_cont($2::float8[]) WITHIN GROUP (ORDER BY ${c.ident}::float8) AS q FROM ${t} WHERE version_id = $1`, [versionId, probabilities]);
  return res.rows[0].q;
}

async function sqlBuckets(db: Queryable, t: string, c: Col, versionId: string, edges: number[]) {
  // width_bucket puts x = last edge above the range; the last bin is closed, so move it back in.
  const res = await db.query<{ bucket: number; count: number }>(
    `SELECT CASE WHEN ${c.ident}::float8 = $3::float8 THEN ${edges.length - 1} ELSE width_bucket(${c.ident}::float8, $2::float8[]) END AS bucket, count(*)::float8 AS count
     FROM ${t} WHERE version_id = $1 AND ${c.ident} IS NOT NULL GROUP BY 1`,
    [versionId, edges, edges[edges.length - 1]],
  );
  return res.rows;
}

async function topValues(db: Queryable, t: string, c: Col, versionId: string) {
  // COLLATE "C": ties ordered by code point, as the ML library's JS string comparison does.
  const res = await db.query<{ val: string; n: number; distinct_n: number }>(
    `SELECT ${c.ident}::text AS val, count(*)::float8 AS n, (count(*) OVER ())::float8 AS distinct_n
     FROM ${t} WHERE version_id = $1 AND ${c.ident} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, ${c.ident}::text COLLATE "C" LIMIT ${TOP_N}`,
    [versionId],
  );
  return { distinct: res.rows[0]?.distinct_n ?? 0, top: res.rows.map((r) => ({ value: r.val, count: r.n })) };
}
