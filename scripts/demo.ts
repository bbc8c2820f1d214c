/**
 * The second half of `scripts/demo.sh`, against the running API: import data/credit_data.csv
 * (scripts/import.ts), log in as the admin, train a model on that version and move `production`
 * to it, create an API token with the `predict` scope, and print what a new user needs next
 * (scripts/demo/next-steps.ts). Run again, it reuses what has not changed: the dataset version
 * (imports are content-addressed), the version `production` names when it was trained on that
 * dataset version with the same recipe, and the API token kept in .demo/ while the API accepts
 * it. Compiled to dist/scripts/demo.js; `node -r ts-node/register/transpile-only scripts/demo.ts` too.
 *
 * Environment: API_URL (default http://localhost:$PORT), ADMIN_EMAIL, ADMIN_PASSWORD; for the
 * import, the API's database settings (PGDATABASE, …); DEMO_EPOCHS (training epochs, default the
 * API's), DEMO_STATE_DIR (default .demo), DEMO_API_LOG and DEMO_REUSED (what demo.sh reused),
 * DEMO_TRAFFIC_LOG and DEMO_TRAFFIC_RATE (the background traffic demo.sh starts next, when it does).
 */
import { spawn } from 'node:child_process';
import { extname, join, relative, resolve } from 'node:path';
import { Api, ApiError } from './demo/api';
import { nextSteps } from './demo/next-steps';
import { trainingProgress } from './demo/progress';
import { demoRecipe, sameRecipe, type DemoRecipe } from './demo/recipe';
import { TokenStore, type StoredToken } from './demo/token-store';

// scripts/ under ts-node, dist/scripts/ compiled.
const ROOT = resolve(__dirname, extname(__filename) === '.ts' ? '..' : '../..');
const MODEL = 'credit';
const ALIAS = 'production';
const TOKEN = { name: 'demo', scopes: ['predict', 'feedback'] };

interface DatasetVersion {
  status: 'created' | 'duplicate';
  version: number;
  versionId: string;
}

interface ModelVersion {
  version: number;
  /** The alias it holds, or null when the gate kept `production` elsewhere. */
  alias: string | null;
}

/** scripts/import.ts as a child (its sibling, compiled or not); its last line is a JSON summary. */
function importCredit(): Promise<DatasetVersion> {
  const script = join(__dirname, `import${extname(__filename)}`);
  const args = ['--dataset', 'credit', '--file', join(ROOT, 'data/credit_data.csv'), '--target', 'Status', '--create'];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const lines = out.trimEnd().split('\n');
      const summary = lines.pop() ?? '';
      process.stdout.write(lines.map((l) => `${l}\n`).join(''));
      if (code !== 0) return fail(new Error(`the import of data/credit_data.csv failed (exit ${code}): ${summary}`));
      done(JSON.parse(summary) as DatasetVersion);
    });
  });
}

async function login(api: Api, email: string, password: string): Promise<string> {
  try {
    return (await api.call<{ accessToken: string }>('POST', '/auth/login', undefined, { email, password })).accessToken;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401)
      throw new Error(
        `cannot log in as ${email}: the admin exists with another password (changed, or another ADMIN_PASSWORD at the first run); run the demo with ADMIN_EMAIL and ADMIN_PASSWORD set to the admin's`,
      );
    throw err;
  }
}

/** The version `production` names, when it was trained on this dataset version with this recipe. */
async function reusableProduction(
  api: Api,
  jwt: string,
  dataset: DatasetVersion,
  recipe: DemoRecipe,
): Promise<ModelVersion | null> {
  const alias = await api.callUnless([404], 'GET', `/models/${MODEL}/aliases/${ALIAS}`, jwt);
  if (!alias || alias.version.datasetVersionId !== dataset.versionId) return null;
  const run = await api.call('GET', `/runs/${alias.version.runId}`, jwt);
  const recorded = run.tags?.recipe ? JSON.parse(run.tags.recipe) : null;
  return sameRecipe(recorded, recipe) ? { version: alias.version.version, alias: ALIAS } : null;
}

async function train(api: Api, jwt: string, dataset: DatasetVersion, recipe: DemoRecipe): Promise<ModelVersion> {
  const job = await api.call('POST', '/training-jobs', jwt, {
    ...recipe,
    version: dataset.version,
    model: MODEL,
    promoteTo: ALIAS,
  });
  const progress = trainingProgress(process.stdout);
  progress.queued(job.id);
  let state = job;
  while (!['succeeded', 'failed', 'cancelled'].includes(state.state)) {
    await new Promise((r) => setTimeout(r, 500));
    state = await api.call('GET', `/training-jobs/${job.id}`, jwt);
    if (state.progress) progress.update(state.progress);
  }
  progress.end();
  if (state.state !== 'succeeded') throw new Error(`training ${state.state}: ${state.error}`);
  const m = state.result.metrics;
  const promotion = state.result.promotions[ALIAS];
  process.stdout.write(
    `model ${MODEL} v${state.modelVersion}: held-out ROC AUC ${m.roc_auc.toFixed(4)}, backend ${state.result.backend}; ${ALIAS}: ${JSON.stringify(promotion)}\n`,
  );
  return { version: state.modelVersion, alias: promotion?.moved ? ALIAS : null };
}

/** The model's input example, read with the token: null when the API no longer accepts the token. */
function exampleWith(api: Api, token: string, model: ModelVersion): Promise<{ example: unknown } | null> {
  const ref = model.alias ? '' : `?version=${model.version}`;
  return api.callUnless([401, 403], 'GET', `/models/${MODEL}/schema${ref}`, token);
}

/** The kept API token while the API accepts it, else a new one (kept for the next run), and the example it read. */
async function predictToken(api: Api, jwt: string, store: TokenStore, model: ModelVersion) {
  const kept = store.read();
  const schema = kept && (await exampleWith(api, kept.token, model));
  if (kept && schema) return { token: kept, example: schema.example, kept: true };
  const created = await api.call('POST', '/api-tokens', jwt, TOKEN);
  const token: StoredToken = { id: created.id, name: created.name, token: created.token };
  store.write(token);
  const fresh = await exampleWith(api, token.token, model);
  if (!fresh) throw new Error(`the API refuses the API token ${token.name} it has just created`);
  return { token, example: fresh.example, kept: false };
}

function epochsOverride(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const epochs = Number(raw);
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new Error(`DEMO_EPOCHS must be a whole number of epochs (1 or more), not ${JSON.stringify(raw)}`);
  return epochs;
}

async function main(): Promise<void> {
  const api = new Api(process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`);
  const email = process.env.ADMIN_EMAIL ?? '';
  const password = process.env.ADMIN_PASSWORD ?? '';
  if (!email || !password) throw new Error('set ADMIN_EMAIL and ADMIN_PASSWORD (scripts/demo.sh sets laptop defaults)');
  const recipe = demoRecipe(epochsOverride(process.env.DEMO_EPOCHS));
  const reused = (process.env.DEMO_REUSED ?? '').split(',').filter(Boolean);

  const dataset = await importCredit();
  if (dataset.status === 'duplicate') reused.push(`dataset credit v${dataset.version}`);
  const jwt = await login(api, email, password);

  let model = await reusableProduction(api, jwt, dataset, recipe);
  if (model) reused.push(`model ${MODEL} v${model.version} (${ALIAS})`);
  else model = await train(api, jwt, dataset, recipe);

  const store = new TokenStore(
    resolve(process.env.DEMO_STATE_DIR ?? join(ROOT, '.demo')),
    `${api.base} ${process.env.PGDATABASE ?? ''}`,
  );
  const { token, example, kept } = await predictToken(api, jwt, store, model);
  if (kept) reused.push(`API token ${token.name}`);

  process.stdout.write(
    `\n${nextSteps({
      base: api.base,
      email,
      password,
      apiLog: process.env.DEMO_API_LOG,
      background: process.env.DEMO_TRAFFIC_LOG
        ? { rate: Number(process.env.DEMO_TRAFFIC_RATE ?? 5), log: process.env.DEMO_TRAFFIC_LOG }
        : undefined,
      model: { name: MODEL, ...model },
      token: { ...TOKEN, token: token.token, file: relative(process.cwd(), store.file) || store.file },
      example,
      reused,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
