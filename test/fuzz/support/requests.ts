import fc from 'fast-check';
import { adversarialEncoded, encodedFromSchema, PROTOTYPE_KEYS } from './arbitraries';
import { fixtureFor, type Fixtures } from './fuzz-app';
import type { Operation, Parameter } from './openapi-walk';

/**
 * The path of an operation with its parameters filled: mostly with real rows (so the case reaches
 * the body's validation), sometimes with an adversarial segment (`adversarial` is the share).
 */
export function pathFor(op: Operation, fixtures: Fixtures, adversarial: number): fc.Arbitrary<string> {
  if (!op.pathParams.length) return fc.constant(op.path);
  const real = Math.round(100 * (1 - adversarial));
  const values = op.pathParams.map((p) => {
    const fixture = fixtureFor(fixtures, op.path, p.name);
    const options = [{ arbitrary: adversarialEncoded, weight: 100 - real }];
    if (fixture !== undefined) options.push({ arbitrary: fc.constant(encodeURIComponent(fixture)), weight: real });
    else options.push({ arbitrary: encodedFromSchema(p.schema), weight: real });
    return fc.oneof(...options);
  });
  return fc
    .tuple(...values)
    .map((vs) =>
      op.pathParams.reduce((path, p, i) => path.replace(`{${p.name}}`, vs[i] === '' ? '%20' : vs[i]), op.path),
    );
}

/** A query parameter's name, with a template like `metric.<name>_<gt|lt>` filled in. */
function paramName(p: Parameter): fc.Arbitrary<string> {
  if (!p.name.includes('<')) return fc.constant(p.name);
  const parts = p.name.split(/(<[^>]+>)/).map((part) => {
    if (!part.startsWith('<')) return fc.constant(part);
    const alternatives = part.slice(1, -1).split('|');
    return alternatives.length > 1
      ? fc.constantFrom(...alternatives)
      : fc.oneof(fc.constantFrom('roc_auc', 'lr', 'x'), adversarialEncoded);
  });
  return fc.tuple(...parts).map((ps) => ps.join(''));
}

/**
 * A query string for an operation: some of its parameters (valid from the schema or adversarial,
 * a key repeated now and then), plus unknown and prototype keys.
 */
export function queryFor(op: Operation): fc.Arbitrary<string> {
  const pair = (p: Parameter) =>
    fc.tuple(paramName(p), valuesOf(fc.oneof(encodedFromSchema(p.schema), adversarialEncoded)));
  const known = op.query.length ? fc.subarray(op.query).chain((ps) => fc.tuple(...ps.map(pair))) : fc.constant([]);
  const unknown = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, 'access_token', 'a[b]', ''), adversarialEncoded),
      valuesOf(adversarialEncoded),
    ),
    { maxLength: 2 },
  );
  return fc.tuple(known, unknown).map(([k, u]) => {
    // Names and values are percent-encoded already; several values are repeated keys (an array to the app).
    const pairs = [...(k as [string, string[]][]), ...u].flatMap(([name, values]) => values.map((v) => `${name}=${v}`));
    return pairs.length ? `?${pairs.join('&')}` : '';
  });
}

/** Mostly one value; now and then the key repeated. */
const valuesOf = (value: fc.Arbitrary<string>): fc.Arbitrary<string[]> =>
  fc.oneof(
    { arbitrary: value.map((v) => [v]), weight: 4 },
    { arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }), weight: 1 },
  );
