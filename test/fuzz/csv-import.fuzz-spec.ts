import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { answerViolation, excerpt, stateViolation } from './support/checks';
import { csvFile, form, multipart } from './support/csv-arbitraries';
import { FuzzApp } from './support/fuzz-app';
import { Case, runProperty, TEST_TIMEOUT_MS } from './support/runner';

const SCHEMA = {
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'score', type: 'number', nullable: true },
    { name: 'grade', type: 'category', nullable: false, categories: ['A', 'B'] },
  ],
};
const BOUNDARY = 'fuzzcsvboundary';

/**
 * The CSV importer through its HTTP route (multipart, ?wait=true so each import ends before the
 * next case): random and adversarial files into a dataset with a declared schema or into a new
 * one whose first import fixes the schema.
 */
describe('fuzz: CSV uploads', () => {
  let f: FuzzApp;
  let spool: string;
  let fresh = 0;

  beforeAll(async () => {
    spool = mkdtempSync(join(tmpdir(), 'mlapi-fuzz-spool-'));
    f = await FuzzApp.start({ IMPORT_TMP_DIR: spool });
    const created = await f.send({
      method: 'POST',
      url: '/datasets',
      payload: JSON.stringify({ name: 'declared', schema: SCHEMA }),
      headers: { 'content-type': 'application/json' },
    });
    if (created.status !== 201) throw new Error(`dataset: ${created.status} ${created.body}`);
  });
  afterAll(async () => {
    await f?.close();
    rmSync(spool, { recursive: true, force: true });
  });

  it(
    'answers every upload below 500, with the error body, promptly, storing nothing and leaving no file when it refuses',
    async () => {
      const cases = fc
        .tuple(
          csvFile,
          form,
          fc.constantFrom('declared', 'new'),
          fc.constantFrom('', '&missingTokens=NA,?', '&maxRejectedShare=0.5', '&maxRejectedShare=1e400'),
        )
        .map(
          ([file, shape, target, query]) =>
            new Case(
              'POST',
              `/datasets/${target}/imports?wait=true${query}`,
              file.kind,
              multipart(file.bytes, shape, BOUNDARY),
              {
                'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
              },
            ),
        );
      await runProperty(
        'csv-import',
        'csv-import',
        0.05,
        fc.asyncProperty(cases, async (c) => {
          let url = c.url;
          if (url.startsWith('/datasets/new/')) {
            // A dataset without a schema: the upload's header and values fix it, or it stays empty.
            const name = `new-${++fresh}`;
            const made = await f.send({
              method: 'POST',
              url: '/datasets',
              payload: JSON.stringify({ name }),
              headers: { 'content-type': 'application/json' },
            });
            if (made.status !== 201) throw new Error(`dataset: ${made.status} ${made.body}`);
            url = url.replace('/datasets/new/', `/datasets/${name}/`);
          }
          const before = await f.state();
          const answer = await f.send({ ...c, url });
          // The import row records a failed attempt by design (it is what GET …/imports/{id} reads).
          const violation =
            answerViolation(answer) ??
            (answer.status >= 400 ? stateViolation(before, await f.state(), ['data.imports']) : undefined) ??
            leftover(spool);
          if (violation) throw new Error(`${violation}\nanswer ${answer.status}: ${excerpt(answer.body)}`);
        }),
      );
    },
    TEST_TIMEOUT_MS,
  );
});

/** Spooled uploads still on disk after their request answered. */
function leftover(dir: string): string | undefined {
  const files = readdirSync(dir);
  return files.length ? `upload spool not cleaned: ${files.slice(0, 5).join(', ')}` : undefined;
}
