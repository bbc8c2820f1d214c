import type { BundleSignature, ColumnSpec } from '../../ml';

/**
 * A model signature as JSON Schema (draft 2020-12) of one record of `features`. It mirrors
 * `coerceFeature`: nullable features may be null or absent; categories are listed as
 * `examples`, not `enum`, because an unseen category is accepted (mapped to the unknown slot).
 */
export function signatureToJsonSchema(signature: BundleSignature, title: string): Record<string, unknown> {
  const properties: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const f of signature.features) properties[f.name] = featureSchema(f);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    type: 'object',
    properties: { ...properties },
    required: signature.features.filter((f) => !f.nullable).map((f) => f.name),
    additionalProperties: false,
  };
}

function featureSchema(f: ColumnSpec): Record<string, unknown> {
  const types = (t: string | string[]) => (f.nullable ? [...(Array.isArray(t) ? t : [t]), 'null'] : t);
  switch (f.type) {
    case 'number':
      return { type: types('number') };
    case 'integer':
      return { type: types('integer'), minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
    case 'boolean':
      return { type: types('boolean') };
    case 'category':
      // A numeric code sent as a JSON number is read as its string form.
      return {
        type: types(['string', 'number']),
        ...(f.categories ? { examples: f.categories } : {}),
        description: 'category; unseen values are accepted as unknown',
      };
    case 'text':
      return { type: types(['string', 'number']) };
  }
}
