import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  PathsObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger';
import type { OpenApiParts } from '../../common/openapi-overlay';
import type { BundleSignature, CellValue } from '../../ml';
import { signatureToJsonSchema } from './signature-schema';

/** The generic operation each served model's own operation documents. */
export const GENERIC_PREDICT = { method: 'post', path: '/models/{name}/predict' } as const;
/** The tag of the per-model operations. */
export const MODELS_TAG = 'models';
/**
 * Marks a per-model operation: the walks over the document's operations (the access table, the
 * fuzz suite) treat it as the generic operation it names.
 */
export const SERVED_MODEL_MARK = 'x-served-model';
/** Known categories listed in a feature's description; the rest are counted. */
const CATEGORIES_LISTED = 20;

/** One served model: the version its alias names, and that version's signature and example. */
export interface DocumentedModel {
  model: string;
  version: number;
  signature: BundleSignature;
  example: Record<string, CellValue>;
}

export interface ServedModels {
  alias: string;
  documented: DocumentedModel[];
  /** Versions whose bundle could not be read, left out. */
  unreadable: { model: string; version: number; reason: string }[];
  /** Models that hold the alias, and registered models. */
  holders: number;
  models: number;
  /** Most models put in the document. */
  cap: number;
}

/**
 * The per-model parts of the OpenAPI document: for each served model a features component, a
 * request component with the example that predicts, and a concrete `POST /models/<name>/predict`
 * operation (a copy of the generic one, so answers, query and security stay as they are there).
 */
export function servedModelParts(base: OpenAPIObject, served: ServedModels): OpenApiParts {
  const generic = base.paths[GENERIC_PREDICT.path]?.[GENERIC_PREDICT.method];
  const note = servedNote(served);
  if (!generic) return { paths: {}, schemas: {}, tags: [], note };
  const taken = new Set(Object.keys(base.components?.schemas ?? {}));
  const paths: PathsObject = {};
  const schemas: Record<string, SchemaObject> = {};
  for (const doc of served.documented) {
    const name = componentName(doc.model, taken);
    schemas[`${name}Features`] = featuresSchema(doc);
    schemas[`${name}PredictRequest`] = requestSchema(doc, name);
    paths[GENERIC_PREDICT.path.replace('{name}', doc.model)] = {
      [GENERIC_PREDICT.method]: modelOperation(generic, doc, served.alias, name),
    };
  }
  const tags = served.documented.length
    ? [{ name: MODELS_TAG, description: `One predict operation per model its \`${served.alias}\` alias serves.` }]
    : [];
  return { paths, schemas, tags, note };
}

/**
 * A component name for a model name (letters, digits, `_ . -`): PascalCase of its alphanumeric
 * runs, `Model` before a leading digit, `_2`, `_3`… after a name already taken (`credit-risk` and
 * `credit_risk`, or a name of the static document). Adds the chosen name's components to `taken`.
 */
export function componentName(model: string, taken: Set<string>): string {
  const runs = model.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let base = runs.map((r) => r[0].toUpperCase() + r.slice(1)).join('') || 'Model';
  if (/^[0-9]/.test(base)) base = `Model${base}`;
  const free = (n: string) => !taken.has(`${n}Features`) && !taken.has(`${n}PredictRequest`);
  let name = base;
  for (let i = 2; !free(name); i++) name = `${base}_${i}`;
  taken.add(`${name}Features`).add(`${name}PredictRequest`);
  return name;
}

function featuresSchema(doc: DocumentedModel): SchemaObject {
  const json = signatureToJsonSchema(doc.signature, `${doc.model} v${doc.version} features`);
  const properties = json.properties as Record<string, Record<string, unknown>>;
  return {
    title: json.title as string,
    type: 'object',
    properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, openApi30(v)])),
    required: json.required as string[],
    additionalProperties: false,
  };
}

function requestSchema(doc: DocumentedModel, name: string): SchemaObject {
  const features: ReferenceObject = { $ref: `#/components/schemas/${name}Features` };
  return {
    type: 'object',
    description: `A predict body for ${doc.model} version ${doc.version}: give \`features\` or \`instances\`.`,
    properties: {
      features,
      instances: { type: 'array', items: features, description: 'A batch of records (at most INFERENCE_MAX_BATCH).' },
    },
    example: { features: { ...doc.example } },
  };
}

function modelOperation(generic: OperationObject, doc: DocumentedModel, alias: string, name: string): OperationObject {
  const query = (generic.parameters ?? []).filter((p) => (p as ParameterObject).in !== 'path');
  return {
    ...generic,
    operationId: `predict${name}`,
    tags: [MODELS_TAG],
    summary: `Predict with ${doc.model} (${alias}: version ${doc.version})`,
    description:
      `The body is version ${doc.version}'s signature, the version \`${alias}\` names; another version ` +
      `(\`?version=\`, \`?alias=\`) may take other fields: \`GET /models/${doc.model}/schema?version=\`. ` +
      (generic.description ?? ''),
    parameters: query,
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}PredictRequest` } } },
    },
    [SERVED_MODEL_MARK]: {
      model: doc.model,
      alias,
      version: doc.version,
      operation: `${GENERIC_PREDICT.method.toUpperCase()} ${GENERIC_PREDICT.path}`,
    },
  } as OperationObject;
}

/**
 * One feature's JSON Schema 2020-12 (signatureToJsonSchema, the one source of the rules) in the
 * OpenAPI 3.0 dialect of this document: `nullable` for a `null` type, `anyOf` for several
 * types, the known categories as the `example` and in the description.
 */
function openApi30(json: Record<string, unknown>): SchemaObject {
  const { type, examples, ...rest } = json as { type: string | string[]; examples?: string[]; description?: string };
  const out: SchemaObject = { ...rest };
  const types = Array.isArray(type) ? type : [type];
  const present = types.filter((t) => t !== 'null');
  if (present.length < types.length) out.nullable = true;
  if (present.length === 1) out.type = present[0];
  else out.anyOf = present.map((t) => ({ type: t }));
  if (examples?.length) {
    out.example = examples[0];
    const more = examples.length - CATEGORIES_LISTED;
    const known = examples.slice(0, CATEGORIES_LISTED).join(', ') + (more > 0 ? ` and ${more} more` : '');
    out.description = `${rest.description ?? 'category'}; known: ${known}`;
  }
  return out;
}

/** What the document says about served models, including the ones it leaves out. */
function servedNote(s: ServedModels): string {
  const lines = [
    `**Served models** (tag \`${MODELS_TAG}\`): one operation per model its \`${s.alias}\` alias serves, ` +
      'its body the fields of that version, with an example that predicts.',
  ];
  if (s.holders > s.cap) lines.push(`Only the first ${s.cap} of ${s.holders} such models by name are listed here.`);
  const without = s.models - s.holders;
  if (without > 0)
    lines.push(
      `${without} model(s) without a \`${s.alias}\` alias are not listed: call them with ` +
        '`POST /models/{name}/predict?version=`.',
    );
  if (s.unreadable.length)
    lines.push(
      'Left out, their bundle could not be read: ' +
        s.unreadable.map((u) => `${u.model} v${u.version} (${u.reason})`).join('; ') +
        '.',
    );
  return lines.join(' ');
}
