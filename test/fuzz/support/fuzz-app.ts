import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loginAs } from '../../support/auth';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../../support/model-fixtures';
import { REPO_ROOT } from '../../support/repo-root';
import { startTestApp, type TestApp } from '../../support/test-app';
import { UsersService } from '../../../src/auth/services/users.service';

/** What one injected request answered, and how long a /health/live probe sent beside it waited. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  /** Milliseconds the concurrent /health/live probe took: how long the event loop was held. */
  probeMs: number;
}

export interface Request {
  method: string;
  url: string;
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

/** A request that has not answered in this long never will (the multipart case of issue #17, 3). */
const ANSWER_TIMEOUT_MS = 15_000;
const PROBE_EVERY_MS = 2;

/**
 * Tables whose rows a refused request must leave alone. Small tables are fingerprinted whole
 * (a refused PATCH must not change a row either); large or blob tables are counted. The
 * prediction log is left out: it is written behind the response, so an earlier accepted
 * prediction may land during a later case.
 */
const FINGERPRINTED = [
  'auth.users',
  'auth.api_tokens',
  'data.datasets',
  'data.dataset_versions',
  'data.imports',
  'registry.experiments',
  'registry.runs',
  'registry.run_metrics',
  'registry.registered_models',
  'registry.model_versions',
  'registry.model_aliases',
  'registry.alias_audit',
  'training.jobs',
  'inference.feedback',
];
const COUNTED = [
  'auth.sessions',
  'auth.refresh_tokens',
  'data.rejected_rows',
  'registry.artifacts',
  'registry.artifact_blobs',
];
const STATE_SQL =
  'SELECT ' +
  [
    ...FINGERPRINTED.map(
      (t) => `(SELECT count(*) || ':' || coalesce(sum(hashtext(x::text)), 0) FROM ${t} x) AS "${t}"`,
    ),
    ...COUNTED.map((t) => `(SELECT count(*)::text FROM ${t}) AS "${t}"`),
    // Dataset row tables and their partitions: a refused import must not leave one behind.
    `(SELECT count(*)::text FROM pg_tables WHERE schemaname = 'data') AS "data.*tables"`,
  ].join(', ');

/** The real app on its own database (API role: no worker trains or mirrors behind the cases). */
export class FuzzApp {
  private constructor(
    readonly t: TestApp,
    readonly adminToken: string,
    private readonly db: DataSource,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<FuzzApp> {
    const t = await startTestApp({ APP_ROLE: 'api', LOG_LEVEL: 'warn', ...env });
    const admin = await loginAs(t, 'admin');
    return new FuzzApp(t, admin.accessToken, t.app.get(DataSource));
  }

  close(): Promise<void> {
    return this.t.close();
  }

  /**
   * Injects a request as the admin while /health/live probes go in beside it (one every few ms
   * until it answers, and one after): the slowest probe is how long the event loop was held.
   */
  async send(req: Request): Promise<Answer> {
    const fastify = this.t.app.getHttpAdapter().getInstance();
    const headers = { authorization: `Bearer ${this.adminToken}`, ...req.headers };
    let done = false;
    const answer = fastify
      .inject({ method: req.method as 'GET', url: req.url, payload: req.payload, headers })
      .finally(() => (done = true));
    const probe = async (): Promise<number> => {
      const start = performance.now();
      const r = await fastify.inject({ method: 'GET', url: '/health/live' });
      if (r.statusCode !== 200) throw new Error(`/health/live answered ${r.statusCode} beside the case`);
      return performance.now() - start;
    };
    const probes = (async () => {
      let slowest = 0;
      while (!done) {
        slowest = Math.max(slowest, await probe());
        await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
      }
      return Math.max(slowest, await probe());
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
    });
    try {
      const [res, probeMs] = await Promise.race([Promise.all([answer, probes]), timeout]);
      return { status: res.statusCode, headers: res.headers, body: res.payload, probeMs };
    } finally {
      done = true;
      clearTimeout(timer);
    }
  }

  /** One query: a count (and, for small tables, a hash of every row) of each table that matters. */
  async state(): Promise<Record<string, string>> {
    const [row] = await this.db.query<Record<string, string>[]>(STATE_SQL);
    return row;
  }

  /** Runs SQL on the app's database (fixtures and checks). */
  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.db.query(sql, params);
  }
}

/** Real rows the path parameters can name, so cases reach validation rather than a 404. */
export interface Fixtures {
  /** Keyed by `<operation path>:<param>` or, as a fallback, by the parameter name. */
  values: Record<string, string>;
}

/**
 * A dataset with a version and a target, the credit model (v1, alias production) trained on a
 * few rows, its run and experiment, a logged prediction and a user other than the admin.
 */
export async function createFixtures(f: FuzzApp): Promise<Fixtures> {
  const auth = { authorization: `Bearer ${f.adminToken}` };
  const fastify = f.t.app.getHttpAdapter().getInstance();
  const data = creditData(120);
  const csv = readFileSync(join(REPO_ROOT, 'data', 'credit_data.csv'), 'utf8')
    .split('\n')
    .slice(0, 121)
    .join('\n');

  const created = await fastify.inject({
    method: 'POST',
    url: '/datasets',
    headers: auth,
    payload: { name: 'fuzz-data', target: 'Status' },
  });
  if (created.statusCode !== 201) throw new Error(`fixture dataset: ${created.statusCode} ${created.payload}`);
  const boundary = 'fuzzboundary';
  const form = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
  const imported = await fastify.inject({
    method: 'POST',
    url: '/datasets/fuzz-data/imports?wait=true',
    headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: form,
  });
  if (imported.statusCode !== 201) throw new Error(`fixture import: ${imported.statusCode} ${imported.payload}`);
  const importId = (JSON.parse(imported.payload) as { importId?: string }).importId;

  const bundle = await trainCreditBundle(data, 1, 1, 'logistic');
  const version = await registerBundle(f.t.app, 'credit', bundle);
  await moveAlias(f.t.app, 'credit', 'production', version);
  const [run] = await f.query<{ id: string }>('SELECT id FROM registry.runs LIMIT 1');

  const predicted = await fastify.inject({
    method: 'POST',
    url: '/models/credit/predict',
    headers: auth,
    payload: { features: featuresOf(data.records[0]) },
  });
  if (predicted.statusCode !== 200) throw new Error(`fixture prediction: ${predicted.statusCode} ${predicted.payload}`);
  const predictionId = (JSON.parse(predicted.payload) as { predictions: { predictionId: string }[] }).predictions[0]
    .predictionId;

  const other = await f.t.app.get(UsersService).create('fuzz-victim@example.com', 'a-long-enough-password', 'consumer');
  const [job] = await f.query<{ id: string }>('SELECT id FROM training.jobs LIMIT 1');

  return {
    values: {
      '/users/{id}:id': other.id,
      '/runs/{id}:id': run.id,
      ref: 'fuzz-data',
      number: '1',
      name: 'credit',
      version: String(version),
      alias: 'production',
      idOrName: 'credit-fixtures',
      '/datasets/{ref}/imports/{id}:id': importId ?? '00000000-0000-0000-0000-000000000000',
      '/predictions/{id}/feedback:id': predictionId,
      '/training-jobs/{id}:id': job?.id ?? '00000000-0000-0000-0000-000000000000',
    },
  };
}

/** The real value for a path parameter of an operation, if the fixtures hold one. */
export function fixtureFor(fixtures: Fixtures, path: string, param: string): string | undefined {
  return fixtures.values[`${path}:${param}`] ?? fixtures.values[param];
}
