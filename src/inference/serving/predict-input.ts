import type { ErrorDetailInput } from '../../common/errors/domain-error';
import { InferenceError, InferenceErrorCode, invalidBody } from '../inference.errors';
import type { FieldError, Validation } from '../../ml';

/** The records of a predict body and how to name them in error details. */
export interface PredictInput {
  records: unknown[];
  /** `features` for a single record, `instances` for a batch. */
  form: 'features' | 'instances';
  /** How other protocols name a field of record `index` in error details (default from `form`). */
  field?: (index: number, feature: string) => string;
}

/**
 * Checks the envelope of a predict body: an object with exactly one of `features` (an object)
 * or `instances` (a non-empty array of at most `maxBatch` records). Keys are read with
 * Object.hasOwn, so nothing inherited is ever taken for input.
 */
export function readPredictBody(body: unknown, maxBatch: number): PredictInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidBody('The body must be a JSON object with `features` or `instances`', [
      { field: '', message: 'expected an object' },
    ]);
  }
  const keys = Object.keys(body);
  const extra = keys.filter((k) => k !== 'features' && k !== 'instances');
  if (extra.length) {
    throw invalidBody(
      'Unknown body fields',
      extra.map((k) => ({ field: k, message: 'not allowed; send features in `features` or `instances`' })),
    );
  }
  const has = (k: string) => Object.hasOwn(body, k);
  if (has('features') === has('instances')) {
    throw invalidBody('Send exactly one of `features` or `instances`', [
      {
        field: has('features') ? 'instances' : 'features',
        message: 'exactly one of features or instances is required',
      },
    ]);
  }
  const value = (body as Record<string, unknown>)[has('features') ? 'features' : 'instances'];
  if (has('features')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw invalidBody('`features` must be an object', [
        { field: 'features', message: 'expected an object of feature values' },
      ]);
    }
    return { records: [value], form: 'features' };
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidBody('`instances` must be a non-empty array', [
      { field: 'instances', message: 'expected a non-empty array of records' },
    ]);
  }
  if (value.length > maxBatch) {
    throw new InferenceError(
      InferenceErrorCode.BATCH_TOO_LARGE,
      `At most ${maxBatch} instances per request (got ${value.length})`,
      [{ field: 'instances', message: `at most ${maxBatch} records` }],
    );
  }
  return { records: value, form: 'instances' };
}

/** One detail per bad field, naming the record: `instances[3].Age` (index 3) or `features.Age`. */
export function validationDetails(input: PredictInput, checked: Validation[]): ErrorDetailInput[] {
  const details: ErrorDetailInput[] = [];
  checked.forEach((c, index) => {
    if (c.ok) return;
    const prefix = input.form === 'features' ? 'features' : `instances[${index}]`;
    for (const e of c.errors) {
      const d = detail(prefix, index, e);
      if (input.field) d.field = input.field(index, e.field);
      details.push(d);
    }
  });
  return details;
}

function detail(prefix: string, index: number, e: FieldError): ErrorDetailInput {
  return {
    field: e.field ? `${prefix}.${e.field}` : prefix,
    message: e.message,
    code: e.code,
    index,
    feature: e.field || null,
  };
}
