import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { mulberry32, shuffleInPlace } from '../../src/ml/random';
import { isNumeric, type FeatureSpec, type ServedSignature } from './signature';

export type Value = string | number | boolean | null;
export type Features = Record<string, Value>;

/** A row to replay: the features the signature wants, and the row's true label. */
export interface Row {
  features: Features;
  label: string | number;
}

/** Mean and standard deviation of a numeric feature over the file's rows (drift's yardstick). */
export interface NumericStats {
  mean: number;
  sd: number;
}

export interface RowSet {
  file: string;
  rows: Row[];
  /** Rows left out: a missing label, or a value the signature refuses. */
  skipped: number;
  stats: Record<string, NumericStats>;
}

/** The shipped data's missing-value token (data/README.md), and an empty cell. */
const MISSING = new Set(['NA', '']);
const BOOLEANS: Record<string, boolean> = { true: true, false: false, TRUE: true, FALSE: false };

/** The CSV files under `dir` whose header has every feature of the signature and its target. */
export function matchingFiles(dir: string, signature: ServedSignature): string[] {
  const wanted = [...signature.features.map((f) => f.name), signature.target.name];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .filter((f) => {
      const [header]: string[][] = parse(readFileSync(join(dir, f)), { to_line: 1 });
      return wanted.every((name) => header.includes(name));
    })
    .map((f) => join(dir, f));
}

/** The shipped file behind the served model (`data` when given), or an error saying what to pass. */
export function dataFileFor(dir: string, signature: ServedSignature, data?: string): string {
  if (data) return data;
  const [file] = matchingFiles(dir, signature);
  if (file) return file;
  const columns = [...signature.features.map((f) => f.name), signature.target.name].join(', ');
  throw new Error(
    `no CSV file under ${dir} has the columns of ${signature.model} v${signature.version} (${columns}): pass --data <file.csv>`,
  );
}

/** A cell as the signature types it; undefined when the signature would refuse it. */
function cell(text: string, f: FeatureSpec): Value | undefined {
  if (MISSING.has(text)) return f.nullable ? null : undefined;
  switch (f.kind) {
    case 'number':
    case 'integer': {
      const n = Number(text);
      return Number.isFinite(n) && (f.kind === 'number' || Number.isInteger(n)) ? n : undefined;
    }
    case 'boolean':
      return BOOLEANS[text];
    case 'category':
    case 'text':
      return text;
  }
}

/** Reads `file`'s rows that the served version accepts and that have a label. */
export function loadRows(file: string, signature: ServedSignature): RowSet {
  return parseRows(file, readFileSync(file), signature);
}

/** The rows of a CSV text (its first line the header) that the served version accepts and that have a label. */
export function parseRows(file: string, csv: string | Buffer, signature: ServedSignature): RowSet {
  const [header, ...body]: string[][] = parse(csv);
  const at = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${basename(file)} has no column ${name}, which ${signature.model} needs`);
    return i;
  };
  const columns = signature.features.map((f) => [f, at(f.name)] as const);
  const target = at(signature.target.name);
  const rows: Row[] = [];
  let skipped = 0;
  for (const line of body) {
    const labelText = line[target] ?? '';
    const label = signature.target.task === 'regression' ? Number(labelText) : labelText;
    const features: Features = {};
    let ok = !MISSING.has(labelText) && (typeof label === 'string' || Number.isFinite(label));
    for (const [f, i] of columns) {
      const value = cell(line[i] ?? '', f);
      if (value === undefined) ok = false;
      else features[f.name] = value;
    }
    if (ok) rows.push({ features, label });
    else skipped++;
  }
  if (rows.length === 0) throw new Error(`${file} has no row that ${signature.model} v${signature.version} accepts`);
  return { file, rows, skipped, stats: numericStats(rows, signature.features) };
}

export function numericStats(rows: Row[], features: FeatureSpec[]): Record<string, NumericStats> {
  const stats: Record<string, NumericStats> = {};
  for (const f of features.filter(isNumeric)) {
    const xs = rows.map((r) => r.features[f.name]).filter((x): x is number => typeof x === 'number');
    const mean = xs.reduce((a, x) => a + x, 0) / Math.max(xs.length, 1);
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(xs.length - 1, 1);
    stats[f.name] = { mean, sd: Math.sqrt(variance) };
  }
  return stats;
}

/** The rows in a seeded random order, again and again (a new order each pass). */
export function rowCycle(rows: Row[], seed: number): () => Row {
  const rng = mulberry32(seed);
  let order: Row[] = [];
  let i = 0;
  return () => {
    if (i === order.length) {
      order = shuffleInPlace([...rows], rng);
      i = 0;
    }
    return order[i++];
  };
}
