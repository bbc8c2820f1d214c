import { type DatasetSchema, OTHER_CATEGORY } from '../../ml';
import { dataColumn, qualifiedTable, quoteIdent } from '../sql/identifiers';
import type { Queryable } from '../sql/queryable';
import {
  TOP_N,
  categoryFromTop,
  edgesFromDeciles,
  numericFromSummary,
  quantileProbabilities,
  type ColumnProfile,
  type DatasetProfile,
} from './dataset-profile';
import { histogramFromFrequencies, quantilesFromFrequencies } from './frequencies';
import { ProfileAccumulator, topOf, type NumericStats } from './profile-accumulator';

/**
 * Finishes a version's profile, exactly and reproducibly. The app gathered while streaming (see
 * ProfileAccumulator) counts, missing, min, max, mean and std (Welford; agrees with stddev_samp
 * to ~1e-12 relative) and, under the caps, value frequencies: those give exact percentile_cont
 * quantiles, histogram and top-N with no SQL at all. Only columns past the caps go to
 * PostgreSQL: one scan computes every such numeric column's percentile_cont quantiles and decile
 * edges together, a second scan counts their histograms; a category column past the cap gets one
 * GROUP BY for its top-N and distinct count.
 */
export async function profileVersion(
  db: Queryable,
  table: string,
  schema: DatasetSchema,
  versionId: string,
  acc: ProfileAccumulator,
): Promise<DatasetProfile> {
  const t = qualifiedTable(table);
  const rows = acc.rows;
  const probabilities = quantileProbabilities();
  const sqlNumeric = schema.columns.flatMap((_, i) => {
    const s = acc.columns[i];
    return s.kind === 'numeric' && !s.freq && s.count > 0 ? [i] : [];
  });
  const sqlQ = await sqlQuantiles(db, t, versionId, sqlNumeric, probabilities);
  const edgesOf = new Map<number, number[]>();
  for (const [i, qs] of sqlQ) edgesOf.set(i, edgesFromDeciles(qs.slice(qs.length - 11)));
  const sqlH = await sqlHistograms(db, t, versionId, edgesOf);

  const out: ColumnProfile[] = [];
  for (let i = 0; i < schema.columns.length; i++) {
    const spec = schema.columns[i];
    const s = acc.columns[i];
    if (s.kind === 'category') {
      const { distinct, top } = s.freq
        ? { distinct: s.freq.size, top: topOf(s.freq, TOP_N) }
        : await topValues(db, t, i, versionId);
      out.push({ name: spec.name, type: spec.type, profile: categoryFromTop(rows, s.count, distinct, top) });
      continue;
    }
    let quantiles: number[] | null = null;
    let histogram;
    if (s.count > 0) {
      const freq = ProfileAccumulator.numericFrequencies(s);
      quantiles = freq ? quantilesFromFrequencies(freq, probabilities) : sqlQ.get(i)!;
      const edges = edgesFromDeciles(quantiles.slice(quantiles.length - 11));
      histogram = freq ? histogramFromFrequencies(freq, edges) : sqlH.get(i)!;
    }
    out.push({
      name: spec.name,
      type: spec.type,
      profile: numericFromSummary({ rows, quantiles, ...moments(s) }, histogram),
    });
  }
  return { rows, topN: TOP_N, otherLabel: OTHER_CATEGORY, columns: out };
}

/** count, mean, sample std (n − 1; null below 2 values, as stddev_samp), min, max. */
export function moments(s: NumericStats) {
  const n = s.count;
  return {
    count: n,
    mean: n ? s.mean : null,
    std: n > 1 ? Math.sqrt(Math.max(s.m2, 0) / (n - 1)) : null,
    min: n ? s.min : null,
    max: n ? s.max : null,
  };
}

const col = (i: number) => quoteIdent(dataColumn(i));

/** All the given columns' percentile_cont at `probabilities`, in one scan. */
async function sqlQuantiles(
  db: Queryable,
  t: string,
  versionId: string,
  cols: number[],
  probabilities: number[],
): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (!cols.length) return out;
  const parts = cols.map((i) => `percentile_cont($2::float8[]) WITHIN GROUP (ORDER BY ${col(i)}::float8) AS "q${i}"`);
  const res = await db.query<Record<string, number[]>>(`SELECT ${parts.join(', ')} FROM ${t} WHERE version_id = $1`, [
    versionId,
    probabilities,
  ]);
  for (const i of cols) out.set(i, res.rows[0][`q${i}`]);
  return out;
}

/**
 * All the given columns' histograms in one scan: per column, below / each bin / above counted
 * with FILTER, bins left-closed and the last one closed (as ml `histogram`). The edges travel
 * as float8 parameters (JS number text is exact both ways).
 */
async function sqlHistograms(db: Queryable, t: string, versionId: string, edgesOf: Map<number, number[]>) {
  const out = new Map<number, { edges: number[]; counts: number[]; below: number; above: number }>();
  if (!edgesOf.size) return out;
  const params: unknown[] = [versionId];
  const p = (v: number) => {
    params.push(v);
    return `$${params.length}::float8`;
  };
  const parts: string[] = [];
  for (const [i, edges] of edgesOf) {
    const x = `${col(i)}::float8`;
    const k = edges.length - 1;
    parts.push(
      `count(*) FILTER (WHERE ${x} < ${p(edges[0])}) AS "b${i}"`,
      `count(*) FILTER (WHERE ${x} > ${p(edges[k])}) AS "a${i}"`,
    );
    for (let b = 0; b < k; b++) {
      const upper = b === k - 1 ? `${x} <= ${p(edges[k])}` : `${x} < ${p(edges[b + 1])}`;
      parts.push(`count(*) FILTER (WHERE ${x} >= ${p(edges[b])} AND ${upper}) AS "h${i}_${b}"`);
    }
  }
  const r = (
    await db.query<Record<string, string>>(`SELECT ${parts.join(', ')} FROM ${t} WHERE version_id = $1`, params)
  ).rows[0];
  for (const [i, edges] of edgesOf) {
    const counts = edges.slice(1).map((_, b) => Number(r[`h${i}_${b}`]));
    out.set(i, { edges, counts, below: Number(r[`b${i}`]), above: Number(r[`a${i}`]) });
  }
  return out;
}

/** Top-N and distinct count of a column past the app's caps. */
async function topValues(db: Queryable, t: string, i: number, versionId: string) {
  // COLLATE "C": ties in code point order, as compareCodePoints does for the app-side top-N.
  const c = col(i);
  const res = await db.query<{ val: string; n: number; distinct_n: number }>(
    `SELECT ${c}::text AS val, count(*)::float8 AS n, (count(*) OVER ())::float8 AS distinct_n
     FROM ${t} WHERE version_id = $1 AND ${c} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, ${c}::text COLLATE "C" LIMIT ${TOP_N}`,
    [versionId],
  );
  return { distinct: res.rows[0]?.distinct_n ?? 0, top: res.rows.map((r) => ({ value: r.val, count: r.n })) };
}
