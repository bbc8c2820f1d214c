import type { ErrorDetailInput } from '../../common/errors/domain-error';
import { InferenceError, InferenceErrorCode, invalidBody } from '../inference.errors';
import type { BundleSignature, ColumnSpec } from '../../ml';
import type { PredictionDto } from './dto/predict.dto';
import type { PredictInput } from '../serving/predict-input';

/** Open Inference Protocol (KServe v2) tensor, as sent and answered over REST/JSON. */
export interface V2Tensor {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown[];
  parameters?: Record<string, string | number | boolean>;
}

export interface V2MetadataTensor {
  name: string;
  datatype: string;
  shape: number[];
}

const NUMERIC = ['FP16', 'FP32', 'FP64', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64'];

/** The datatype we declare per feature, and those we accept for it. */
function datatypes(f: ColumnSpec): { declared: string; accepted: string[] } {
  switch (f.type) {
    case 'number':
      return { declared: 'FP64', accepted: NUMERIC };
    case 'integer':
      return { declared: 'INT64', accepted: NUMERIC };
    case 'boolean':
      return { declared: 'BOOL', accepted: ['BOOL'] };
    case 'category':
      // A numeric category code may come as a number tensor; it is read as its string form.
      return { declared: 'BYTES', accepted: ['BYTES', ...NUMERIC] };
    case 'text':
      return { declared: 'BYTES', accepted: ['BYTES'] };
  }
}

/** One input tensor per feature, shape [-1] (one value per record, any batch size). */
export function v2Inputs(signature: BundleSignature): V2MetadataTensor[] {
  return signature.features.map((f) => ({ name: f.name, datatype: datatypes(f).declared, shape: [-1] }));
}

export function v2OutputsMeta(signature: BundleSignature): V2MetadataTensor[] {
  const { target } = signature;
  if (target.task === 'regression')
    return [
      { name: 'value', datatype: 'FP64', shape: [-1] },
      { name: 'prediction_id', datatype: 'BYTES', shape: [-1] },
    ];
  return [
    { name: 'label', datatype: 'BYTES', shape: [-1] },
    { name: 'probabilities', datatype: 'FP32', shape: [-1, target.classes?.length ?? 0] },
    { name: 'prediction_id', datatype: 'BYTES', shape: [-1] },
  ];
}

function fail(message: string, details: ErrorDetailInput[]): never {
  throw invalidBody(message, details);
}

/**
 * Reads `{inputs: [{name, datatype, shape, data}], id?, parameters?, outputs?}` into records:
 * record i takes element i of every tensor. Shapes [n] and [n, 1] are accepted; `data` may be
 * flat or nested (row-major). Per-record values are then checked by the model's own validation,
 * so errors name the tensor and the record: `inputs[Age].data[3]`.
 */
export function readV2Request(body: unknown, signature: BundleSignature, maxBatch: number): PredictInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    fail('The body must be an inference request object', [{ field: '', message: 'expected {inputs: [...]}' }]);
  const inputs = (body as Record<string, unknown>).inputs;
  if (!Array.isArray(inputs) || inputs.length === 0)
    fail('`inputs` must be a non-empty array of tensors', [
      { field: 'inputs', message: 'expected [{name, datatype, shape, data}]' },
    ]);
  const features = new Map(signature.features.map((f) => [f.name, f]));
  const details: ErrorDetailInput[] = [];
  const columns = new Map<string, unknown[]>();
  let rows: number | undefined;
  inputs.forEach((raw, j) => {
    const t = raw as Partial<V2Tensor> | null;
    if (t === null || typeof t !== 'object' || typeof t.name !== 'string')
      return details.push({ field: `inputs[${j}]`, message: 'expected a tensor with a name' });
    const at = `inputs[${t.name}]`;
    const feature = features.get(t.name);
    if (!feature) return details.push({ field: at, message: 'not a feature of this model', code: 'unknown_feature' });
    if (columns.has(t.name)) return details.push({ field: at, message: 'given twice' });
    const { accepted } = datatypes(feature);
    if (typeof t.datatype !== 'string' || !accepted.includes(t.datatype))
      return details.push({
        field: `${at}.datatype`,
        message: `must be one of ${accepted.join(', ')} for a ${feature.type} feature`,
      });
    const shape = t.shape;
    if (
      !Array.isArray(shape) ||
      shape.length < 1 ||
      shape.length > 2 ||
      !shape.every((d) => Number.isInteger(d) && d >= 0) ||
      (shape.length === 2 && shape[1] !== 1)
    ) {
      return details.push({ field: `${at}.shape`, message: 'must be [n] or [n, 1]' });
    }
    const data = Array.isArray(t.data) ? (t.data.some(Array.isArray) ? t.data.flat() : t.data) : null;
    if (data === null || data.length !== shape[0])
      return details.push({ field: `${at}.data`, message: `must hold ${String(shape[0])} values (the shape)` });
    if (rows !== undefined && rows !== shape[0])
      return details.push({
        field: `${at}.shape`,
        message: `every input must have the same first dimension (${rows})`,
      });
    rows = shape[0];
    columns.set(t.name, data);
  });
  for (const f of signature.features) {
    if (!f.nullable && !columns.has(f.name) && !details.some((d) => d.field.startsWith(`inputs[${f.name}]`))) {
      details.push({
        field: `inputs[${f.name}]`,
        message: `missing input tensor (${datatypes(f).declared}, shape [n])`,
        code: 'missing',
      });
    }
  }
  if (details.length) fail('Invalid inference request', details);
  const n = rows ?? 0;
  if (n === 0)
    fail('The inputs hold no records', [{ field: 'inputs', message: 'the first dimension must be at least 1' }]);
  if (n > maxBatch)
    throw new InferenceError(InferenceErrorCode.BATCH_TOO_LARGE, `At most ${maxBatch} records per request (got ${n})`, [
      { field: 'inputs', message: `at most ${maxBatch} records` },
    ]);
  const records = Array.from({ length: n }, (_, i) => {
    const rec = Object.create(null) as Record<string, unknown>;
    for (const [name, data] of columns) rec[name] = data[i];
    return rec;
  });
  return { records, form: 'instances', field: (i, f) => (f ? `inputs[${f}].data[${i}]` : `inputs[*].data[${i}]`) };
}

/** The answer tensors: label (BYTES [n]) and probabilities (FP32 [n, k], classes in order), or value (FP64 [n]); plus prediction_id (BYTES [n]) for feedback. */
export function v2Outputs(signature: BundleSignature, predictions: PredictionDto[], wanted?: string[]): V2Tensor[] {
  const n = predictions.length;
  const { target } = signature;
  const ids: V2Tensor = {
    name: 'prediction_id',
    datatype: 'BYTES',
    shape: [n],
    data: predictions.map((p) => p.predictionId),
  };
  let outputs: V2Tensor[];
  if (target.task === 'regression') {
    outputs = [{ name: 'value', datatype: 'FP64', shape: [n], data: predictions.map((p) => p.value!) }, ids];
  } else {
    const classes = target.classes ?? [];
    outputs = [
      { name: 'label', datatype: 'BYTES', shape: [n], data: predictions.map((p) => p.label!) },
      {
        name: 'probabilities',
        datatype: 'FP32',
        shape: [n, classes.length],
        data: predictions.flatMap((p) => classes.map((c) => Math.fround(p.probabilities?.[c] ?? 0))),
        parameters: { classes: classes.join(',') },
      },
      ids,
    ];
  }
  return wanted?.length ? outputs.filter((o) => wanted.includes(o.name)) : outputs;
}

/** Names in the request's optional `outputs: [{name}]`, refusing names this model has not. */
export function requestedOutputs(body: unknown, signature: BundleSignature): string[] | undefined {
  const outputs = (body as { outputs?: unknown }).outputs;
  if (outputs === undefined) return undefined;
  const known = v2OutputsMeta(signature).map((o) => o.name);
  if (!Array.isArray(outputs)) fail('`outputs` must be an array', [{ field: 'outputs', message: 'expected [{name}]' }]);
  const names = outputs.map((o) => (o as { name?: unknown } | null)?.name);
  const bad = names
    .map((name, i) => ({ name, i }))
    .filter(({ name }) => typeof name !== 'string' || !known.includes(name));
  if (bad.length)
    fail(
      'Unknown requested outputs',
      bad.map(({ i }) => ({ field: `outputs[${i}].name`, message: `must be one of ${known.join(', ')}` })),
    );
  return names as string[];
}
