/**
 * Bounds on the shape of what a request carries (body, query, path parameters), checked by one
 * iterative walk before any validation: class-transformer's work grows with the square of an
 * object's key count and class-validator recurses per level, so an unbounded body blocks the
 * event loop or overflows the stack. The walk itself is linear and never recurses.
 */
export const INPUT_LIMITS = {
  /** Levels of objects and arrays; the deepest legitimate body (a v2 tensor) has about 5. */
  maxDepth: 32,
  /** Keys of one object: above PostgreSQL's 1,600 columns, so a predict record of any dataset fits. */
  maxKeysPerObject: 2000,
  /** Keys and array elements of the whole input: a full predict batch of 1,000 records of ~90 features. */
  maxValues: 100_000,
  /** Characters of one string or key. */
  maxStringLength: 65_536,
} as const;

export type InputLimits = { readonly [K in keyof typeof INPUT_LIMITS]: number };

/**
 * A body validated against a DTO (everything but the predict protocols): the largest legitimate
 * one is a declared schema of PostgreSQL's 1,600 columns, or a feedback batch of 1,000 items.
 */
export const DTO_INPUT_LIMITS: InputLimits = { ...INPUT_LIMITS, maxKeysPerObject: 1000, maxValues: 10_000 };

/** What the walk found first: where (a dotted path), what, and the limit it broke (absent for a NUL or a lone surrogate). */
export interface InputProblem {
  field: string;
  message: string;
  limit?: number;
}

interface Frame {
  value: unknown;
  depth: number;
  parent?: Frame;
  key?: string | number;
}

/** The first problem in `value`, or undefined; `root` prefixes every field (e.g. a parameter's name). */
export function findInputProblem(
  value: unknown,
  root = '',
  limits: InputLimits = INPUT_LIMITS,
): InputProblem | undefined {
  const stack: Frame[] = [{ value, depth: 0 }];
  let values = 0;
  while (stack.length) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v === 'string') {
      const problem = stringProblem(v, limits);
      if (problem) return { ...problem, field: pathOf(frame, root) };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (frame.depth >= limits.maxDepth)
      return {
        field: pathOf(frame, root),
        message: `nested deeper than ${limits.maxDepth} levels`,
        limit: limits.maxDepth,
      };
    if (Array.isArray(v)) {
      values += v.length;
      if (values > limits.maxValues) return tooManyValues(root, limits);
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], depth: frame.depth + 1, parent: frame, key: i });
      continue;
    }
    const keys = Object.keys(v);
    if (keys.length > limits.maxKeysPerObject)
      return {
        field: pathOf(frame, root),
        message: `an object has more than ${limits.maxKeysPerObject} keys`,
        limit: limits.maxKeysPerObject,
      };
    values += keys.length;
    if (values > limits.maxValues) return tooManyValues(root, limits);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const problem = stringProblem(key, limits);
      const child: Frame = { value: (v as Record<string, unknown>)[key], depth: frame.depth + 1, parent: frame, key };
      if (problem) return { ...problem, field: pathOf(child, root), message: `a key ${problem.message}` };
      stack.push(child);
    }
  }
  return undefined;
}

/** With the `u` flag a surrogate pair is one code point, so this matches only an unpaired half. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function stringProblem(s: string, limits: InputLimits): Omit<InputProblem, 'field'> | undefined {
  if (s.length > limits.maxStringLength)
    return { message: `is longer than ${limits.maxStringLength} characters`, limit: limits.maxStringLength };
  // PostgreSQL's text cannot hold U+0000: refused here, it would fail as a query error (a 500).
  if (s.includes('\u0000')) return { message: 'must not contain NUL (U+0000) characters' };
  // A lone surrogate has no UTF-8 form: validators that encode the string throw on it (a 500).
  if (LONE_SURROGATE.test(s)) return { message: 'must be well-formed Unicode (it holds a lone surrogate)' };
  return undefined;
}

function tooManyValues(root: string, limits: InputLimits): InputProblem {
  return {
    field: root,
    message: `holds more than ${limits.maxValues} keys and array elements in all`,
    limit: limits.maxValues,
  };
}

/** `a.b[2].c`, built only for the one frame reported (at most maxDepth steps up). */
function pathOf(frame: Frame, root: string): string {
  const parts: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent)
    parts.push(typeof f.key === 'number' ? `[${f.key}]` : `.${f.key}`);
  const path = root + parts.reverse().join('');
  return path.startsWith('.') ? path.slice(1) : path;
}
