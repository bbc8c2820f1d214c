import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SERVED_MODEL_MARK } from '../../../src/inference/protocols/served-model-openapi';

/** A JSON schema as the OpenAPI document holds it (only what the arbitraries read). */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export interface Parameter {
  name: string;
  required: boolean;
  schema: Schema;
}

/** One operation of the API, with its schemas resolved (no `$ref` left). */
export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI path, with `{param}` placeholders. */
  path: string;
  pathParams: Parameter[];
  query: Parameter[];
  /** The JSON body's schema, when the operation takes a JSON body. */
  body?: Schema;
  multipart: boolean;
}

/**
 * The app's own OpenAPI document, built from its controllers as /docs-json serves it; built here
 * rather than fetched, so the walk does not depend on whether Swagger UI is exposed (issue #17, 13).
 * It is the static part: /docs-json adds one operation per served model, which `operations` leaves out.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(app, new DocumentBuilder().build());
}

/**
 * Every operation of the document, schemas resolved, in document order. A served model's own
 * operation (marked `x-served-model`) is left out: it documents the generic predict operation,
 * which is walked, and one per model would grow the suite with the registry.
 */
export function operations(doc: OpenAPIObject): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = item[method];
      if (!op || SERVED_MODEL_MARK in op) continue;
      const params = (op.parameters ?? []) as { name: string; in: string; required?: boolean; schema?: Schema }[];
      const param = (p: (typeof params)[number]): Parameter => ({
        name: p.name,
        required: p.required === true,
        schema: resolve(doc, p.schema ?? {}),
      });
      const content = (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content ?? {};
      const json = content['application/json'];
      out.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParams: params.filter((p) => p.in === 'path').map(param),
        query: params.filter((p) => p.in === 'query').map(param),
        body: json ? resolve(doc, json.schema ?? {}) : undefined,
        multipart: 'multipart/form-data' in content,
      });
    }
  }
  return out;
}

/**
 * What the fuzz suite sends requests to: every operation that takes a JSON body or query
 * parameters. DELETE is left out: a random path that happens to name a fixture would remove it,
 * and a DELETE takes neither a body nor a query here.
 */
export function fuzzedOperations(ops: Operation[]): Operation[] {
  return ops.filter((op) => op.method !== 'DELETE' && (op.body !== undefined || op.query.length > 0));
}

/** Inlines `$ref` and `allOf` (the cycles of this API's DTOs are none; depth is bounded anyway). */
function resolve(doc: OpenAPIObject, schema: Schema, depth = 0): Schema {
  if (depth > 20) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = (doc.components?.schemas ?? {})[name] as Schema | undefined;
    return resolve(doc, target ?? {}, depth + 1);
  }
  const out: Schema = { ...schema };
  if (schema.allOf) {
    delete out.allOf;
    for (const part of schema.allOf) Object.assign(out, resolve(doc, part, depth + 1));
  }
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, resolve(doc, v, depth + 1)]),
    );
  }
  if (schema.items) out.items = resolve(doc, schema.items, depth + 1);
  if (schema.oneOf) out.oneOf = schema.oneOf.map((s) => resolve(doc, s, depth + 1));
  if (typeof schema.additionalProperties === 'object')
    out.additionalProperties = resolve(doc, schema.additionalProperties, depth + 1);
  return out;
}

/** FUZZ_OPERATIONS (a regular expression on `METHOD /path`) narrows a run to some operations. */
export function selected(ops: Operation[]): Operation[] {
  const pattern = process.env.FUZZ_OPERATIONS;
  if (!pattern) return ops;
  const re = new RegExp(pattern);
  return ops.filter((op) => re.test(`${op.method} ${op.path}`));
}
