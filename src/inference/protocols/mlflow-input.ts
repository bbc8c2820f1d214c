import { InferenceError, InferenceErrorCode, invalidBody } from '../inference.errors';
import type { PredictInput } from '../serving/predict-input';

const FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;
type Format = (typeof FORMATS)[number];

/**
 * Reads an MLflow scoring-server body (`POST /invocations`, MLflow 2.x JSON formats) into
 * records: exactly one of `dataframe_split` ({columns, data[, index]}), `dataframe_records`
 * ([{…}]), `instances` ([{…}]) or `inputs` ([{…}] or {column: [values]}); `params` is accepted
 * and ignored (no model here takes inference parameters). Records are null-prototype objects,
 * so a column called `__proto__` stays a plain (unknown) feature.
 */
export function readMlflowBody(body: unknown, maxBatch: number): PredictInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidBody('The body must be a JSON object with one of ' + FORMATS.join(', '), [
      { field: '', message: 'expected an object' },
    ]);
  }
  const keys = Object.keys(body);
  const extra = keys.filter((k) => k !== 'params' && !(FORMATS as readonly string[]).includes(k));
  if (extra.length)
    throw invalidBody(
      'Unknown body fields',
      extra.map((k) => ({ field: k, message: `not allowed; use one of ${FORMATS.join(', ')}` })),
    );
  const given = FORMATS.filter((f) => Object.hasOwn(body, f));
  if (given.length !== 1) {
    throw invalidBody(`Send exactly one of ${FORMATS.join(', ')}`, [
      { field: given[1] ?? 'dataframe_split', message: 'exactly one input format is required' },
    ]);
  }
  const format: Format = given[0];
  const value = (body as Record<string, unknown>)[format];
  const records =
    format === 'dataframe_split'
      ? fromSplit(value)
      : format === 'inputs' && isPlainObject(value)
        ? fromColumns(value, 'inputs')
        : fromRecords(value, format);
  if (records.length === 0)
    throw invalidBody(`\`${format}\` holds no records`, [{ field: format, message: 'expected at least one record' }]);
  if (records.length > maxBatch) {
    throw new InferenceError(
      InferenceErrorCode.BATCH_TOO_LARGE,
      `At most ${maxBatch} records per request (got ${records.length})`,
      [{ field: format, message: `at most ${maxBatch} records` }],
    );
  }
  const base = format === 'dataframe_split' ? 'dataframe_split.data' : format;
  return { records, form: 'instances', field: (i, f) => (f ? `${base}[${i}].${f}` : `${base}[${i}]`) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function record(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

function fromRecords(value: unknown, format: Format): unknown[] {
  if (!Array.isArray(value))
    throw invalidBody(`\`${format}\` must be an array of records`, [
      { field: format, message: 'expected an array of objects' },
    ]);
  return value;
}

/** pandas `orient="split"`: column names once, then one array of values per row. */
function fromSplit(value: unknown): unknown[] {
  if (!isPlainObject(value))
    throw invalidBody('`dataframe_split` must be an object', [
      { field: 'dataframe_split', message: 'expected {columns, data}' },
    ]);
  const { columns, data } = value;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) {
    throw invalidBody('`dataframe_split.columns` must be an array of names', [
      { field: 'dataframe_split.columns', message: 'expected an array of strings' },
    ]);
  }
  if (!Array.isArray(data))
    throw invalidBody('`dataframe_split.data` must be an array of rows', [
      { field: 'dataframe_split.data', message: 'expected an array of arrays' },
    ]);
  const names: string[] = columns;
  return (data as unknown[]).map((row, i) => {
    if (!Array.isArray(row) || row.length !== names.length) {
      throw invalidBody(`Row ${i} of dataframe_split.data does not match the columns`, [
        { field: `dataframe_split.data[${i}]`, message: `expected an array of ${names.length} values`, index: i },
      ]);
    }
    const rec = record();
    const values = row as unknown[];
    names.forEach((n, j) => (rec[n] = values[j]));
    return rec;
  });
}

/** `inputs` as columns: {feature: [value per record]}, every column of one length. */
function fromColumns(value: Record<string, unknown>, format: Format): unknown[] {
  const names = Object.keys(value);
  const cols = names.map((n) => value[n]);
  if (!cols.every(Array.isArray) || new Set(cols.map((c) => (c as unknown[]).length)).size > 1) {
    throw invalidBody(`\`${format}\` as columns must map each feature to an array of one common length`, [
      { field: format, message: 'expected {feature: [values]} of equal lengths' },
    ]);
  }
  const n = names.length ? (cols[0] as unknown[]).length : 0;
  return Array.from({ length: n }, (_, i) => {
    const rec = record();
    names.forEach((name, j) => (rec[name] = (cols[j] as unknown[])[i]));
    return rec;
  });
}
