/** A feature of the served version's signature, as the generator needs it. */
export interface FeatureSpec {
  name: string;
  kind: 'number' | 'integer' | 'boolean' | 'category' | 'text';
  nullable: boolean;
  /** The training categories (category features), when the schema lists them. */
  categories?: string[];
}

export interface ServedSignature {
  model: string;
  version: number;
  alias: string | null;
  features: FeatureSpec[];
  target: { name: string; task: 'binary' | 'multiclass' | 'regression'; classes?: string[] };
}

/** What `GET /models/{name}/schema` answers (src/inference/protocols/dto/model-schema.dto.ts). */
export interface SchemaAnswer {
  model: string;
  version: number;
  alias: string | null;
  inputSchema: { properties: Record<string, PropertySchema> };
  target: { name: string; task: string; classes?: string[] };
}

interface PropertySchema {
  type: string | string[];
  examples?: unknown[];
  description?: string;
}

/**
 * The signature read back from the schema endpoint's JSON Schema, which is what a `predict` token
 * may read (the bundle's own signature is the registry's, for scientists). It mirrors
 * signatureToJsonSchema (src/inference/protocols/signature-schema.ts): a category is the
 * string-or-number property described as one, text the same without the description.
 */
export function signatureOf(answer: SchemaAnswer): ServedSignature {
  const features = Object.entries(answer.inputSchema.properties).map(([name, p]): FeatureSpec => {
    const types = Array.isArray(p.type) ? p.type : [p.type];
    const nullable = types.includes('null');
    const kind = types.includes('string')
      ? p.description?.startsWith('category')
        ? 'category'
        : 'text'
      : types.includes('integer')
        ? 'integer'
        : types.includes('number')
          ? 'number'
          : 'boolean';
    return {
      name,
      kind,
      nullable,
      ...(kind === 'category' && p.examples ? { categories: p.examples.map(String) } : {}),
    };
  });
  const task = answer.target.task;
  if (task !== 'binary' && task !== 'multiclass' && task !== 'regression')
    throw new Error(`the schema of ${answer.model} names an unknown task ${JSON.stringify(task)}`);
  return {
    model: answer.model,
    version: answer.version,
    alias: answer.alias,
    features,
    target: { name: answer.target.name, task, classes: answer.target.classes },
  };
}

export const isNumeric = (f: FeatureSpec) => f.kind === 'number' || f.kind === 'integer';
