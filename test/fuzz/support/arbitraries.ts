import fc from 'fast-check';
import type { Schema } from './openapi-walk';

/**
 * JSON texts for request bodies: random JSON, adversarial shapes (depth, key counts, numbers no
 * JavaScript value holds, control characters, lone surrogates, prototype keys) and bodies derived
 * from an operation's schema with one field made wrong.
 */

/** A placeholder that `toJsonText` replaces by raw JSON text (numbers like 1e400 or -0 have no JS value). */
const RAW = '@@fuzz-raw:';
const raw = (text: string): string => `${RAW}${text}@@`;

/** Serialises a value built by these arbitraries, putting raw number texts in place. */
export function toJsonText(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.replace(/"@@fuzz-raw:([^"@]*)@@"/g, '$1');
}

/** Numbers beyond int4/int8/double, negative zero, denormals, long digit strings. */
export const rawNumber: fc.Arbitrary<string> = fc
  .constantFrom(
    '1e308',
    '-1e308',
    '1e400',
    '-1e400',
    '-0',
    '0.0',
    '4.9e-324',
    '1e-400',
    '2147483647',
    '2147483648',
    '-2147483649',
    '4294967296',
    '9007199254740993',
    '9223372036854775807',
    '9223372036854775808',
    '-9223372036854775809',
    '1e20',
    '123456789012345678901234567890123456789',
    '1.7976931348623157e308',
    '0.1',
  )
  .map(raw);

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

const controlChar = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\uffff',
);

/** Strings with NUL and other control characters, lone surrogates and bidi overrides mixed in. */
export const controlString: fc.Arbitrary<string> = fc
  .array(fc.oneof(controlChar, fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''));

/** A long string: one unit repeated (cheap to shrink: the count shrinks). */
export const longString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', 'é', '😀', '\u0000', ' ', '9'), fc.integer({ min: 100, max: 200_000 }))
  .map(([unit, n]) => unit.repeat(n));

export const adversarialString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  controlString,
  { arbitrary: longString, weight: 1 },
  fc.constantFrom(
    '',
    ' ',
    '99999999999',
    '1e20',
    '-0',
    'NaN',
    'Infinity',
    'null',
    'true',
    '%00',
    '../../etc/passwd',
    "' OR 1=1 --",
    '{}',
    '[]',
    ...PROTOTYPE_KEYS,
  ),
);

/** Any leaf that does not belong: odd strings, raw numbers, wrong scalars and empty containers. */
export const adversarialLeaf: fc.Arbitrary<unknown> = fc.oneof(
  adversarialString,
  rawNumber,
  fc.boolean(),
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant({}),
  fc.constant([]),
);

/** An object whose keys may be prototype keys (built with fromEntries: they stay own properties). */
const objectOf = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .array(fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...PROTOTYPE_KEYS), controlString), value), {
      maxLength: 6,
    })
    .map((entries) => Object.fromEntries(entries));

/** Random JSON with adversarial leaves and keys, a few levels deep. */
export const adversarialJson: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    adversarialLeaf,
    fc.array(tie('node'), { maxLength: 5 }),
    objectOf(tie('node')),
  ),
})).node;

/** A JSON text nested `depth` levels, built as text (no recursion here, whatever the depth). */
export const deepNesting: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 10, max: 10_000 }), fc.constantFrom('object', 'array', 'mixed'), fc.string({ maxLength: 3 }))
  .map(([depth, kind, key]) => {
    const k = JSON.stringify(key);
    const open = (i: number) => (kind === 'array' || (kind === 'mixed' && i % 2) ? '[' : `{${k}:`);
    const close = (i: number) => (kind === 'array' || (kind === 'mixed' && i % 2) ? ']' : '}');
    let head = '';
    let tail = '';
    for (let i = 0; i < depth; i++) {
      head += open(i);
      tail = close(i) + tail;
    }
    // A top-level array answers the DTO's "must be an object"; wrap it so validation goes inside.
    return kind === 'array' ? `{${k}:${head}1${tail}}` : `${head}1${tail}`;
  });

/** An object with thousands of keys (or an array of as many elements), built as text. */
export const manyKeys: fc.Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: 1_000, max: 80_000 }),
    fc.constantFrom('keys', 'array', 'nested'),
    fc.constantFrom('1', '"x"', '{}', 'null'),
  )
  .map(([n, kind, value]) => {
    const parts: string[] = new Array<string>(n);
    if (kind === 'array') {
      for (let i = 0; i < n; i++) parts[i] = value;
      return `{"items":[${parts.join(',')}],"features":{},"inputs":[${parts.join(',')}]}`;
    }
    for (let i = 0; i < n; i++) parts[i] = `"k${i}":${value}`;
    return kind === 'keys' ? `{${parts.join(',')}}` : `{"features":{${parts.join(',')}},"schema":{${parts.join(',')}}}`;
  });

/** Bytes that are not a JSON object: broken syntax, invalid UTF-8, other top-level types, nothing. */
export const brokenBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'null',
    '[]',
    '"x"',
    '1',
    'true',
    '{',
    '{"a":}',
    '{"a":1,}',
    "{'a':1}",
    '{"a":NaN}',
    '\ufeff{}',
  ),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.constantFrom(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), Buffer.from([0x7b, 0xc0, 0xaf, 0x7d])),
);

/** A value of the schema's type (what a careful client sends). */
export function fromSchema(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (schema.oneOf?.length) return fc.oneof(...schema.oneOf.map((s) => fromSchema(s, depth + 1)));
  const typed = typedFromSchema(schema, depth);
  return schema.example === undefined ? typed : fc.oneof(fc.constant(schema.example), typed);
}

function typedFromSchema(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  switch (schema.type ?? 'object') {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'email') return fc.emailAddress();
      return fc.string({ minLength: 1, maxLength: 20 });
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(schema.items && depth < 4 ? fromSchema(schema.items, depth + 1) : fc.jsonValue(), {
        maxLength: 3,
      });
    default: {
      if (!schema.properties || depth >= 4) return fc.jsonValue({ maxDepth: 2 });
      const props = Object.fromEntries(
        Object.entries(schema.properties).map(([k, s]) => [k, fromSchema(s, depth + 1)] as const),
      );
      return fc.record(props, { requiredKeys: (schema.required ?? []).filter((k) => k in props) });
    }
  }
}

/** A value of another type than the schema says, or of its type but out of any sane range. */
export function wrongType(schema: Schema): fc.Arbitrary<unknown> {
  const any = [fc.constant(null), fc.constant({}), fc.constant([]), rawNumber, controlString];
  switch (schema.type ?? 'object') {
    case 'string':
      return fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }), longString, ...any);
    case 'integer':
    case 'number':
      return fc.oneof(fc.constantFrom('1', '1e20', 'NaN', ''), fc.boolean(), fc.double(), ...any);
    case 'boolean':
      return fc.oneof(fc.constantFrom('true', 'false', 'yes', 1, 0), ...any);
    case 'array':
      return fc.oneof(fc.string(), fc.integer(), fc.array(adversarialLeaf, { maxLength: 5 }), ...any);
    default:
      return fc.oneof(
        fc.string(),
        fc.integer(),
        fc.array(adversarialJson, { maxLength: 3 }),
        objectOf(adversarialLeaf),
        ...any,
      );
  }
}

type Mutation = { op: 'replace'; value: unknown } | { op: 'delete' } | { op: 'extra'; key: string; value: unknown };

/** A schema-shaped body with one field made wrong, at any depth of the schema's objects. */
export function mutated(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const props = Object.keys(schema.properties ?? {});
  const target = schema.type === 'array' && schema.items ? schema.items : schema;
  if (schema.type === 'array' && schema.items?.properties && depth < 4) {
    return fc
      .tuple(fc.array(fromSchema(schema.items, depth + 1), { maxLength: 2 }), mutated(schema.items, depth + 1))
      .map(([good, bad]) => [...good, bad]);
  }
  if (!props.length || depth >= 4) return fc.oneof(wrongType(target), adversarialJson);
  return fc.constantFrom(...props).chain((key) => {
    const propSchema = schema.properties![key];
    const mutations: fc.Arbitrary<Mutation>[] = [
      fc.oneof(wrongType(propSchema), adversarialLeaf).map((value) => ({ op: 'replace' as const, value })),
      fc.constant({ op: 'delete' as const }),
      fc
        .tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 10 })), adversarialJson)
        .map(([k, value]) => ({ op: 'extra' as const, key: k, value })),
    ];
    if (propSchema.properties || propSchema.items?.properties)
      mutations.push(mutated(propSchema, depth + 1).map((value) => ({ op: 'replace' as const, value })));
    return fc.tuple(fromSchema(schema, depth), fc.oneof(...mutations)).map(([base, m]) => {
      const entries = Object.entries(base && typeof base === 'object' ? base : {});
      const kept = entries.filter(([k]) => m.op !== 'delete' || k !== key);
      if (m.op === 'replace') kept.push([key, m.value]);
      if (m.op === 'extra') kept.push([m.key, m.value]);
      return Object.fromEntries(kept);
    });
  });
}

/** What a fuzzed JSON body is: its text (or bytes) and which arbitrary made it, for the report. */
export interface Body {
  kind: string;
  payload: string | Buffer;
}

/** Every kind of JSON body for one operation's schema. */
export function jsonBody(schema: Schema): fc.Arbitrary<Body> {
  const text = (kind: string, a: fc.Arbitrary<unknown>) => a.map((v) => ({ kind, payload: toJsonText(v) }));
  return fc.oneof(
    { arbitrary: text('schema-valid', fromSchema(schema)), weight: 2 },
    { arbitrary: text('schema-mutated', mutated(schema)), weight: 6 },
    { arbitrary: text('wrong-type', wrongType(schema)), weight: 1 },
    { arbitrary: text('random-json', fc.jsonValue()), weight: 1 },
    { arbitrary: text('adversarial-json', adversarialJson), weight: 3 },
    { arbitrary: deepNesting.map((payload) => ({ kind: 'deep-nesting', payload })), weight: 1 },
    { arbitrary: manyKeys.map((payload) => ({ kind: 'many-keys', payload })), weight: 1 },
    { arbitrary: brokenBody.map((payload) => ({ kind: 'broken', payload })), weight: 1 },
  );
}

/** Lone surrogates replaced (encodeURIComponent throws on them; raw bad bytes come as %FF below). */
const wellFormed = (s: string): string =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** A value as a query string or path segment carries it: already percent-encoded. */
export const adversarialEncoded: fc.Arbitrary<string> = fc.oneof(
  adversarialString.map((s) => encodeURIComponent(wellFormed(s))),
  rawNumber.map((s) => s.slice(RAW.length, -2)),
  fc.constantFrom('%00', 'a%00b', '%FF%FE', '%C0%AF', '%', '%zz', '%E2%80%AE', '..', '.', '%2F', '%2e%2e%2f', ''),
  fc.integer({ min: 101, max: 2_000 }).map((n) => 'n'.repeat(n)),
);

/** A schema-typed query or path value, percent-encoded. */
export function encodedFromSchema(schema: Schema): fc.Arbitrary<string> {
  return fromSchema(schema).map((v) => encodeURIComponent(wellFormed(typeof v === 'string' ? v : JSON.stringify(v))));
}
