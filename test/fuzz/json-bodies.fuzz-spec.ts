import fc from 'fast-check';
import { jsonBody } from './support/arbitraries';
import { answerViolation, excerpt, stateViolation } from './support/checks';
import { createFixtures, FuzzApp, type Fixtures } from './support/fuzz-app';
import { fuzzedOperations, openApiDocument, operations, selected, type Operation } from './support/openapi-walk';
import { pathFor } from './support/requests';
import { Case, runProperty, TEST_TIMEOUT_MS } from './support/runner';

/**
 * Every operation that takes a JSON body (found in the OpenAPI document), as the admin so the
 * guards let each case reach validation: random, adversarial and schema-mutated bodies.
 */
/** Share of cases whose path parameters are adversarial rather than real rows (the query file fuzzes them most). */
const ADVERSARIAL_PATHS = Number(process.env.FUZZ_ADVERSARIAL_PATHS ?? 0.05);

describe('fuzz: JSON bodies of every operation', () => {
  let f: FuzzApp;
  let fixtures: Fixtures;
  let ops: Operation[];

  beforeAll(async () => {
    f = await FuzzApp.start();
    fixtures = await createFixtures(f);
    ops = fuzzedOperations(operations(openApiDocument(f.t.app))).filter((op) => op.body !== undefined);
  });
  afterAll(() => f?.close());

  it('finds the operations to fuzz', () => {
    // A guard on the walk itself: if the document stopped listing bodies, the property would test nothing.
    expect(ops.map((op) => `${op.method} ${op.path}`)).toEqual(
      expect.arrayContaining([
        'POST /auth/login',
        'POST /datasets',
        'POST /models/{name}/predict',
        'PATCH /users/{id}',
      ]),
    );
  });

  it(
    'answers every body below 500, with the error body, promptly, storing nothing when it refuses',
    async () => {
      const cases = fc
        .constantFrom(...selected(ops))
        .chain((op) =>
          fc
            .tuple(pathFor(op, fixtures, ADVERSARIAL_PATHS), jsonBody(op.body!))
            .map(
              ([url, body]) =>
                new Case(op.method, url, body.kind, body.payload, { 'content-type': 'application/json' }),
            ),
        );
      await runProperty(
        'json-bodies',
        'json-bodies',
        0.62,
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
