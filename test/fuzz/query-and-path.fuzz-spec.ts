import fc from 'fast-check';
import { fromSchema, toJsonText } from './support/arbitraries';
import { answerViolation, excerpt, stateViolation } from './support/checks';
import { createFixtures, FuzzApp, type Fixtures } from './support/fuzz-app';
import { fuzzedOperations, openApiDocument, operations, selected, type Operation } from './support/openapi-walk';
import { pathFor, queryFor } from './support/requests';
import { Case, runProperty, TEST_TIMEOUT_MS } from './support/runner';

/**
 * Every operation that takes query parameters, and every non-DELETE operation with path
 * parameters: schema-typed and adversarial values (NUL, long, numbers beyond int4/int8, bad
 * percent-encoding, repeated and prototype keys). A JSON body, where the operation takes one,
 * is valid for its schema, so the refusal comes from the URL.
 */
describe('fuzz: query strings and path parameters of every operation', () => {
  let f: FuzzApp;
  let fixtures: Fixtures;
  let ops: Operation[];

  beforeAll(async () => {
    f = await FuzzApp.start();
    fixtures = await createFixtures(f);
    const all = operations(openApiDocument(f.t.app));
    const withPath = all.filter((op) => op.method !== 'DELETE' && op.pathParams.length > 0);
    ops = [...new Set([...fuzzedOperations(all).filter((op) => op.query.length > 0), ...withPath])];
  });
  afterAll(() => f?.close());

  it('finds the operations to fuzz', () => {
    expect(ops.map((op) => `${op.method} ${op.path}`)).toEqual(
      expect.arrayContaining([
        'GET /runs',
        'GET /datasets/{ref}/versions/{number}/rows',
        'POST /models/{name}/predict',
      ]),
    );
  });

  it(
    'answers every URL below 500, with the error body, promptly, storing nothing when it refuses',
    async () => {
      const cases = fc
        .constantFrom(...selected(ops))
        .chain((op) =>
          fc
            .tuple(
              pathFor(op, fixtures, 0.5),
              queryFor(op),
              op.body ? fromSchema(op.body).map(toJsonText) : fc.constant(undefined),
            )
            .map(
              ([path, query, body]) =>
                new Case(
                  op.method,
                  path + query,
                  'url',
                  body,
                  body === undefined ? undefined : { 'content-type': 'application/json' },
                ),
            ),
        );
      await runProperty(
        'query-and-path',
        'query-and-path',
        0.33,
        fc.asyncProperty(cases, async (c) => {
          const before = await f.state();
          const answer = await f.send(c);
          const violation =
            answerViolation(answer) ?? (answer.status >= 400 ? stateViolation(before, await f.state()) : undefined);
          if (violation) throw new Error(`${violation}\nanswer ${answer.status}: ${excerpt(answer.body)}`);
        }),
      );
    },
    TEST_TIMEOUT_MS,
  );
});
