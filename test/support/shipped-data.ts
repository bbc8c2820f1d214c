import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  inferSchema,
  markQuoted,
  parseCell,
  splitIndices,
  type CellValue,
  type DatasetSchema,
  type SampleCell,
} from '../../src/ml';
import { REPO_ROOT } from './repo-root';

export interface ShippedData {
  schema: DatasetSchema;
  records: Record<string, CellValue>[];
}

const MISSING = new Set(['NA']);
const text = (cell: SampleCell): string | null => (cell !== null && typeof cell === 'object' ? cell.text : cell);

/**
 * Reads a shipped CSV (its first `limit` rows) the way the import does: infer the schema (quoted =
 * category), then parseCell. Used by the quality tests, the inference e2e tests and the benchmarks.
 */
export function loadShipped(file: string, limit = Infinity): ShippedData {
  const rows = parse(readFileSync(join(REPO_ROOT, 'data', file)), {
    cast: markQuoted,
  }) as SampleCell[][];
  const headers = rows[0].map((c) => text(c) ?? '');
  const body = rows.slice(1, Number.isFinite(limit) ? limit + 1 : undefined);
  const schema = inferSchema(headers, body, MISSING);
  const records = body.map((row, line) => {
    const rec: Record<string, CellValue> = {};
    schema.columns.forEach((col, j) => {
      const r = parseCell(text(row[j] ?? null), col, MISSING);
      if (!r.ok) throw new Error(`${file} line ${line + 2}, ${col.name}: ${r.reason}`);
      rec[col.name] = r.value;
    });
    return rec;
  });
  return { schema, records };
}

/** The test part as the trainer drew it (same seed, same stratification), without the target. */
export function testPart(
  data: ShippedData,
  target: string,
  seed: number,
): { features: Record<string, CellValue>[]; labels: string[] } {
  const rows = data.records.filter((r) => r[target] !== null);
  const { test } = splitIndices(
    rows.length,
    seed,
    undefined,
    rows.map((r) => String(r[target])),
  );
  return {
    features: test.map((i) => withoutKey(rows[i], target)),
    labels: test.map((i) => String(rows[i][target])),
  };
}

export function withoutKey(rec: Record<string, CellValue>, key: string): Record<string, CellValue> {
  return Object.fromEntries(Object.entries(rec).filter(([k]) => k !== key));
}

/** Same entries, keys in a different (reversed, then rotated) order. */
export function reorderKeys(rec: Record<string, CellValue>): Record<string, CellValue> {
  const entries = Object.entries(rec).reverse();
  return Object.fromEntries([...entries.slice(2), ...entries.slice(0, 2)]);
}
