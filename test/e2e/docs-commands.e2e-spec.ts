/**
 * Every command of README.md and docs/*.md (their bash/sh blocks and command tables) meets the
 * rule table below: it runs here (on this file's own database, Redis prefix and ports), it is
 * checked here for real in a cheaper form, or it cannot run on this machine, with the reason. A
 * command that no rule matches fails, and so does a rule that matches no command: a new command
 * in the docs needs a rule, and the table stays the list of what the docs ask of a reader.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { ApiTokensService } from '../../src/auth/services/api-tokens.service';
import { loginAs } from '../support/auth';
import { connectionEnv, createTestDatabase, dropTestDatabase } from '../support/database';
import { docCommands, fencedBlocks, shellWords, type DocCommand } from '../support/doc-commands';
import { creditData, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { deleteRedisKeys } from '../support/redis-keys';
import { REPO_ROOT } from '../support/repo-root';
import { freePort, runShell, startServer, type ShellRun } from '../support/shell';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';
import { checkTokensWith } from '../support/replica';

type Verdict = 'runs here' | 'checked here' | 'not here';
interface Rule {
  match: RegExp;
  verdict: Verdict;
  /** What the check does, or why the command cannot run here. */
  why: string;
  check?: (command: string) => Promise<void>;
}

const DOCKER_ENGINE = 'needs a Docker engine (the docker CLI is installed here, no daemon)';
const AZURE = 'needs an Azure subscription and the Azure CLI';

const RULES: Rule[] = [
  // README, "Two commands"
  {
    match: /^bash scripts\/demo\.sh$/,
    verdict: 'not here',
    why: 'the demo: installs, builds, trains and serves on :3000 until stopped (a minute and more); checked: bash parses it',
    check: () => bashParses('scripts/demo.sh'),
  },
  {
    match: /^bash scripts\/test\.sh$/,
    verdict: 'not here',
    why: 'CI itself: .ci/run runs these steps (every jest project, this file included, then the outage suite); checked: bash parses it',
    check: () => bashParses('scripts/test.sh'),
  },
  {
    match: /^source scripts\/node-runtime\.sh\b/,
    verdict: 'runs here',
    why: 'sourced, then node is the major of .nvmrc',
    check: async () => {
      const major = readFileSync(join(REPO_ROOT, '.nvmrc'), 'utf8').trim().replace(/^v/, '').split('.')[0];
      // Without .runtime/ on PATH, as in a new shell: the script must put it there.
      const PATH = (process.env.PATH ?? '')
        .split(':')
        .filter((dir) => !dir.includes('.runtime'))
        .join(':');
      const out = await expectSuccess('source scripts/node-runtime.sh >/dev/null && node -p process.versions.node', {
        PATH,
      });
      expect(out.stdout.trim().split('.')[0]).toBe(major);
    },
  },
  // README, "Streamlit dashboard"
  {
    match: /^bash scripts\/install-streamlit\.sh$/,
    verdict: 'runs here',
    why: "the dashboard's virtual environment holds every pin of its requirements.txt after it (reused or installed)",
    check: async (command) => {
      const out = await expectSuccess(command);
      expect(out.stdout).toMatch(/^Streamlit dashboard(: \S+ reused| installed in \S+)$/m);
    },
  },
  {
    match: /^MLAPI_URL=\S+ MLAPI_TOKEN="\$TOKEN" \.venv-streamlit\/bin\/streamlit run dashboards\/streamlit\/app\.py$/,
    verdict: 'runs here',
    why: "against the app started with the compose api's environment, headless on a free port: Streamlit's health check answers 200 (what the page shows is streamlit.e2e-spec.ts's, with AppTest)",
    check: async (command) => {
      const port = await freePort();
      const server = await startServer(
        `${command.replace(/^MLAPI_URL=\S+/, `MLAPI_URL=${composeApp.baseUrl}`)} --server.headless true ` +
          `--server.address 127.0.0.1 --server.port ${port} --browser.gatherUsageStats false`,
        cliEnv({ TOKEN: 'a-token' }),
        `http://127.0.0.1:${port}/_stcore/health`,
        90_000,
      );
      await server.stop();
    },
  },
  // README, "Useful commands"
  {
    match: /^npm run start:dev$/,
    verdict: 'runs here',
    why: "started on a free port and this file's database; /health/live answers 200",
    check: (command) => serves(command),
  },
  {
    match: /^npm run build && npm start$/,
    verdict: 'runs here',
    why: 'built once for this file (dist/ serves the container commands below too), started on a free port; /health/live answers 200',
    check: async () => {
      await built();
      await serves('npm start');
    },
  },
  {
    match: /^npm run migration:(run|show)$/,
    verdict: 'runs here',
    why: "on this file's migrated database: nothing pending, every migration applied",
    check: async (command) => {
      const out = await expectSuccess(command);
      if (command.endsWith('show')) expectAllApplied(out);
    },
  },
  {
    match: /^npm run migration:revert$/,
    verdict: 'runs here',
    why: 'reverts the last migration (migration:show then lists one pending), then the migrations are applied again',
    check: async (command) => {
      await expectSuccess(command);
      try {
        expect((await expectSuccess('npm run migration:show')).stdout).toMatch(/\[ \]/);
      } finally {
        await migrateUp();
      }
    },
  },
  {
    match: /^npm run migration:generate -- migrations\/Name$/,
    verdict: 'runs here',
    why: 'into a temporary directory instead of migrations/: writes one migration, or says the schema has no change',
    check: async (command) => {
      const dir = mkdtempSync(join(tmpdir(), 'docs-migration-'));
      try {
        const out = await runShell(command.replace('migrations/Name', `${dir}/Name`), cliEnv());
        if (out.code === 0) expect(readdirSync(dir)).toEqual([expect.stringMatching(/^\d+-Name\.ts$/)]);
        else expect(out.stdout + out.stderr).toMatch(/No changes in database schema were found/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    match: /^npm run create-admin$/,
    verdict: 'runs here',
    why: 'with ADMIN_EMAIL / ADMIN_PASSWORD (the form without prompts)',
    check: async (command) => {
      const out = await expectSuccess(command, {
        ADMIN_EMAIL: 'docs-admin@example.com',
        ADMIN_PASSWORD: 'a-long-docs-password',
      });
      expect(out.stdout).toMatch(/Created admin|An admin already exists/);
    },
  },
  {
    match: /^npm run import -- /,
    verdict: 'runs here',
    why: "imports into this file's database",
    check: async (command) => expectImported(await expectSuccess(command)),
  },
  {
    match: /^npm run traffic -- --model credit( |$)/,
    verdict: 'runs here',
    why: "against an app of this file's serving a trained credit model (production), for 2 s with labels 0.3 s after each answer (--duration and --feedback-delay appended; the token in MLAPI_TOKEN, the URL in API_URL): every request answered and labelled, unseen categories with --drift",
    check: async (command) => {
      const app = await trafficApp();
      checkTokensWith(app.app);
      const out = await expectSuccess(`${command} --duration 2s --feedback-delay 300ms`, {
        API_URL: app.baseUrl,
        MLAPI_TOKEN: app.token,
      });
      expect(out.stdout).toMatch(/^sending \d+ predictions\/s to credit v1 \(production\) at .* with MLAPI_TOKEN: /m);
      const done =
        /^done: sent (\d+) {2}ok (\d+) {2}errors 0 {2}(?:unseen categories in (\d+) {2})?feedback sent (\d+) pending 0 /m.exec(
          out.stdout,
        );
      expect(done).not.toBeNull();
      const [sent, ok, unseen, labelled] = done!.slice(1).map((n) => (n === undefined ? null : Number(n)));
      expect(sent).toBeGreaterThan(0);
      expect([ok, labelled]).toEqual([sent, sent]);
      if (command.includes('--drift')) expect(unseen).toBeGreaterThan(0);
      else expect(unseen).toBeNull();
    },
  },
  {
    match: /^npm run test:(unit|e2e|fuzz|quality|lint)$/,
    verdict: 'not here',
    why: 'CI runs every suite (`npm test` in .ci/run), this file among them; checked: the script selects a jest project that exists',
    check: async (command) => {
      const script = npmScript(command);
      const { projects } = (await import(join(REPO_ROOT, 'jest.config.js'))) as { projects: { displayName: string }[] };
      expect(projects.map((p) => p.displayName)).toContain(/--selectProjects (\S+)/.exec(script)?.[1]);
    },
  },
  {
    match: /^npm run (lint|typecheck)$/,
    verdict: 'not here',
    why: 'CI runs them (.ci/run) over the whole repository; checked: the script exists',
    check: async (command) => void npmScript(command),
  },
  {
    match: /^npm run bench:/,
    verdict: 'not here',
    why: 'benchmarks: minutes each, on a quiet machine, never in a test run (README, "Benchmarks"); checked: the script exists',
    check: async (command) => void npmScript(command),
  },
  {
    match: /^FUZZ_SEED=\d+ FUZZ_PATH=[\d:]+ npx jest --selectProjects fuzz --testPathPattern \S+$/,
    verdict: 'checked here',
    why: 'replays a failure an earlier run printed; checked: the pattern selects exactly one fuzz file',
    check: async (command) => {
      const pattern = /--testPathPattern (\S+)$/.exec(command)![1];
      const out = await expectSuccess(`npx jest --listTests --selectProjects fuzz --testPathPattern ${pattern}`);
      const files = out.stdout.split('\n').filter((line) => line.startsWith('/'));
      expect(files).toEqual([expect.stringMatching(/\.fuzz-spec\.ts$/)]);
    },
  },
  // docs/docker.md
  {
    match: /^echo "JWT_SECRET=\$\(openssl rand -hex 32\)" >> \.env$/,
    verdict: 'runs here',
    why: 'in a temporary directory: the .env line holds a secret the app accepts in production',
    check: async (command) => {
      const dir = mkdtempSync(join(tmpdir(), 'docs-env-'));
      try {
        await expectSuccess(`cd ${dir} && ${command}`);
        const secret = /^JWT_SECRET=(.+)$/m.exec(readFileSync(join(dir, '.env'), 'utf8'))?.[1];
        expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret })).not.toThrow();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    match: /^open http:\/\/localhost:3000\/docs\b/,
    verdict: 'checked here',
    why: "the app started with the compose api's environment (docker-compose.yml, its defaults) serves Swagger UI at /docs",
    check: async () => {
      const res = await fetch(`${composeApp.baseUrl}/docs`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
    },
  },
  {
    match: /^curl -s localhost:3000\/auth\/login /,
    verdict: 'runs here',
    why: "against the app started with the compose api's environment: its first admin logs in with the documented password",
    check: async (command) => {
      const out = await expectSuccess(command.replace('localhost:3000', composeApp.baseUrl));
      expect(JSON.parse(out.stdout)).toMatchObject({ accessToken: expect.any(String) });
    },
  },
  {
    match: /^ADMIN_JWT=\$\(curl -s localhost:3000\/auth\/login .*\| jq -r \.accessToken\)$/,
    verdict: 'runs here',
    why: "against the app started with the compose api's environment: ADMIN_JWT holds a token the admin-only /api-tokens accepts",
    check: async (command) => {
      const jwt = (await expectSuccess(`${atComposeApp(command)}\nprintf %s "$ADMIN_JWT"`)).stdout;
      expect(
        (await fetch(`${composeApp.baseUrl}/api-tokens`, { headers: { authorization: `Bearer ${jwt}` } })).status,
      ).toBe(200);
    },
  },
  {
    match: /^curl -s localhost:3000\/api-tokens .*\| jq -r \.token > \.prometheus-token$/,
    verdict: 'runs here',
    why: "in a temporary directory, with ADMIN_JWT from the compose api's admin: the file holds a token that scrapes /metrics, at the path docker-compose.yml mounts by default",
    check: async (command) => {
      const login = await fetch(`${composeApp.baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@example.com', password: 'change-me-admin-123' }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const dir = mkdtempSync(join(tmpdir(), 'docs-token-'));
      try {
        await expectSuccess(`cd ${dir} && ${atComposeApp(command)}`, { ADMIN_JWT: accessToken });
        const token = readFileSync(join(dir, '.prometheus-token'), 'utf8').trim();
        const scrape = await fetch(`${composeApp.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
        expect(scrape.status).toBe(200);
        expect(await scrape.text()).toMatch(/^mlapi_/m);
        expect(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8')).toContain(
          'source: ${PROMETHEUS_TOKEN_FILE:-./.prometheus-token}',
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    match: /^docker compose run --rm (-[ev] (\S*'[^']*'|\S*"[^"]*"|\S+) )*api node /,
    verdict: 'checked here',
    why: `${DOCKER_ENGINE}; checked: the container's command (-e variables, -v files) runs here from dist/`,
    check: async (command) => {
      const { service, ...inner } = containerCommand(shellWords(command).slice(3));
      expect(Object.keys(composeFile().services)).toContain(service);
      await runsFromBuild(inner);
    },
  },
  {
    match: /^docker run --rm (--env-file \S+ |--entrypoint \S+ )*ml-api:\S+ /,
    verdict: 'checked here',
    why: `${DOCKER_ENGINE}; checked: the container's command runs here from dist/ (CI's Build stage runs it in the image)`,
    check: async (command) => {
      const inner = containerCommand(shellWords(command).slice(2));
      await runsFromBuild(inner);
    },
  },
  {
    match: /^(GIT_SHA=\$\(git rev-parse HEAD\) )?docker (compose|build) /,
    verdict: 'not here',
    why: DOCKER_ENGINE,
  },
  // docs/azure.md
  {
    match: /^export (PG_PASSWORD|JWT_SECRET|ADMIN_PASSWORD)="\$\(openssl rand /,
    verdict: 'runs here',
    why: 'the values are what Azure (PostgreSQL administrator password) and the app in production accept',
    check: async (command) => {
      const name = /^export (\w+)=/.exec(command)![1];
      const value = (await expectSuccess(`${command}\nprintf %s "$${name}"`)).stdout;
      if (name === 'PG_PASSWORD') expect(azurePostgresPasswordProblems(value)).toEqual([]);
      if (name === 'JWT_SECRET') expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: value })).not.toThrow();
      if (name === 'ADMIN_PASSWORD')
        expect(() => loadConfig({ ADMIN_EMAIL: 'you@example.com', ADMIN_PASSWORD: value })).not.toThrow();
    },
  },
  {
    match: /^az containerapp job update .* --yaml ops-job\.yaml$/,
    verdict: 'checked here',
    why: `${AZURE}; checked: the job command that docs/azure.md's YAML sets runs here from dist/`,
    check: async () => {
      const commands = fencedBlocks('docs/azure.md')
        .filter((b) => b.lang === 'yaml')
        .map((b) => (load(b.body.join('\n')) as { command?: string[] }).command)
        .filter((c): c is string[] => Array.isArray(c));
      expect(commands.length).toBeGreaterThan(0);
      for (const argv of commands) await runsFromBuild({ argv, env: {}, files: {} });
    },
  },
  {
    match: /^infra\/deploy\.sh /,
    verdict: 'checked here',
    why: `${AZURE} (it drives az containerapp); checked: the script's own usage lists every option the docs pass`,
    check: async (command) => {
      const usage = await runShell('bash infra/deploy.sh', cliEnv());
      expect(usage.code).toBe(2);
      for (const option of command.match(/--[a-z-]+/g) ?? []) expect(usage.stderr).toContain(option);
    },
  },
  {
    match: /(^|\$\(|\bdo )az /,
    verdict: 'not here',
    why: AZURE,
  },
  {
    match: /^(\w+=(\S+|<[^>]+>);?\s*)+$/,
    verdict: 'not here',
    why: 'only names for the az commands after it (placeholders to fill in)',
  },
];

let cliDb: string;
let served: Promise<{ app: TestApp; baseUrl: string; token: string }> | undefined;
let redisPrefix: string;
let composeApp: TestApp;
let build: Promise<void> | undefined;
let tmp: string;

/** The environment of the commands run here: this file's database and Redis prefix, quick to start and stop. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...connectionEnv(),
    PGDATABASE: cliDb,
    REDIS_PREFIX: redisPrefix,
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'warn',
    SHUTDOWN_DRAIN_MS: '0',
    // ts-node's type check is `npm run typecheck`'s job; the commands run the same code.
    TS_NODE_TRANSPILE_ONLY: 'true',
    ...extra,
  };
}

async function expectSuccess(command: string | string[], extra: Record<string, string> = {}): Promise<ShellRun> {
  const out = await runShell(command, cliEnv(extra), 90_000);
  if (out.code !== 0)
    throw new Error(`${String(command)} exited ${out.code}\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`);
  return out;
}

/** A documented command aimed at localhost:3000, aimed at the app started with the compose api's environment. */
function atComposeApp(command: string): string {
  return command.replaceAll('localhost:3000', composeApp.baseUrl);
}

async function bashParses(script: string): Promise<void> {
  await expectSuccess(['bash', '-n', script]);
}

/** The package.json script `npm run <name>` runs (`bench:<name>`: any bench script). */
function npmScript(command: string): string {
  const name = /^npm run (\S+)/.exec(command)![1];
  const scripts = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const key = name.endsWith(':<name>')
    ? Object.keys(scripts).find((k) => k.startsWith(name.replace('<name>', '')))
    : name;
  expect(Object.keys(scripts)).toContain(key);
  return scripts[key!];
}

async function serves(command: string): Promise<void> {
  const port = await freePort();
  const server = await startServer(
    command,
    cliEnv({ PORT: String(port), HOST: '127.0.0.1' }),
    `http://127.0.0.1:${port}/health/live`,
    90_000,
  );
  await server.stop();
}

function expectAllApplied(out: ShellRun): void {
  expect(out.stdout).toMatch(/\[X\]/);
  expect(out.stdout).not.toMatch(/\[ \]/);
}

function expectImported(out: ShellRun): void {
  const summary = JSON.parse(out.stdout.trim().split('\n').pop()!) as { status: string; rows: number };
  expect(['created', 'duplicate']).toContain(summary.status);
  expect(summary.rows).toBeGreaterThan(0);
}

async function migrateUp(): Promise<void> {
  const ds = new DataSource(dataSourceOptions(loadConfig({ ...connectionEnv(), PGDATABASE: cliDb, NODE_ENV: 'test' })));
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
}

/** An app serving a briefly trained credit model as production, and an API token that may predict and give feedback (once). */
function trafficApp(): Promise<{ app: TestApp; baseUrl: string; token: string }> {
  served ??= (async () => {
    const app = await startTestApp();
    const admin = await loginAs(app, 'admin');
    const bundle = await trainCreditBundle(creditData(600), 1, 2, 'logistic');
    await registerBundle(app.app, 'credit', bundle);
    await moveAlias(app.app, 'credit', 'production', 1);
    const { token } = await app.app
      .get(ApiTokensService)
      .create({ name: 'docs-traffic', scopes: ['predict', 'feedback'] }, admin.user.id);
    return { app, baseUrl: app.baseUrl, token };
  })();
  return served;
}

/** `npm run build` once for this file: the image runs dist/, so its commands run here from it. */
function built(): Promise<void> {
  build ??= expectSuccess('npm run build').then(() => undefined);
  return build;
}

interface ContainerCommand {
  service?: string;
  argv: string[];
  env: Record<string, string>;
  /** Container path -> the file here that the mount stands for. */
  files: Record<string, string>;
}

/** `[options] IMAGE-OR-SERVICE COMMAND…` of `docker run` / `docker compose run`. */
function containerCommand(words: string[]): ContainerCommand {
  const env: Record<string, string> = {};
  const files: Record<string, string> = {};
  let entrypoint: string | undefined;
  let i = 0;
  for (; i < words.length && words[i].startsWith('-'); i++) {
    const [flag, value] = [words[i], words[i + 1]];
    if (flag === '--rm') continue;
    i++;
    if (flag === '-e') env[value.slice(0, value.indexOf('='))] = value.slice(value.indexOf('=') + 1);
    else if (flag === '-v') files[value.split(':')[1]] = standInCsv();
    else if (flag === '--entrypoint') entrypoint = value;
    else if (flag !== '--env-file') throw new Error(`no rule for the container option ${flag}`);
  }
  const rest = words.slice(i + 1);
  return { service: words[i], argv: entrypoint ? [entrypoint, ...rest] : rest, env, files };
}

/** A file here for a mount's host file (a copy of the shipped credit data). */
function standInCsv(): string {
  const file = join(tmp, `mounted-${randomUUID().slice(0, 8)}.csv`);
  copyFileSync(join(REPO_ROOT, 'data/credit_data.csv'), file);
  return file;
}

/** A container's command, run here from dist/ (the image's WORKDIR holds the same layout). */
async function runsFromBuild({ argv, env, files }: ContainerCommand): Promise<void> {
  await built();
  const out = await expectSuccess(
    argv.map((a) => files[a] ?? a),
    env,
  );
  if (argv.some((a) => a.endsWith('import.js'))) expectImported(out);
  if (argv.some((a) => a.includes('migration:show'))) expectAllApplied(out);
  if (argv.some((a) => a.includes('migration:revert'))) await migrateUp();
  if (argv.some((a) => a.includes('initBackend'))) expect(out.stdout).toMatch(/^(tensorflow|wasm|cpu)\b/m);
}

function composeFile(): { services: Record<string, { environment?: Record<string, unknown> }> } {
  return load(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), {
    schema: CORE_SCHEMA.withTags(mergeTag),
  }) as ReturnType<typeof composeFile>;
}

/** `${NAME}`, `${NAME:-default}` and `${NAME:?message}`: the interpolation forms docker-compose.yml uses. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    if (vars[name]) return vars[name];
    if (op === '?') throw new Error(`docker-compose.yml requires ${name}: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

/** The compose api's environment, but on this file's database and Redis (the services compose would start). */
function composeApiEnv(vars: Record<string, string>): Record<string, string> {
  const own = ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'REDIS_URL', 'REDIS_PREFIX'];
  return Object.fromEntries(
    Object.entries(composeFile().services.api.environment ?? {})
      .filter(([name]) => !own.includes(name))
      .map(([name, value]) => [name, interpolate(String(value), vars)]),
  );
}

/** Azure Database for PostgreSQL's rules for the administrator password. */
function azurePostgresPasswordProblems(password: string): string[] {
  const classes = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  return [
    ...(password.length < 8 || password.length > 128 ? ['8 to 128 characters'] : []),
    ...(classes < 3 ? ['three of: upper case, lower case, digits, other characters'] : []),
  ];
}

const COMMANDS = docCommands();
const ruleOf = (c: DocCommand) => RULES.find((r) => r.match.test(c.text));

describe('the commands of README.md and docs/*.md', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'docs-commands-'));
    cliDb = await createTestDatabase();
    redisPrefix = `mlapi-test-docs-${randomUUID().slice(0, 8)}`;
    composeApp = await startTestApp(composeApiEnv({ JWT_SECRET: randomBytes(32).toString('hex') }));
    // The build takes the longest: it goes on beside the first commands (its failure fails the ones that need dist/).
    built().catch(() => undefined);
  });
  afterAll(async () => {
    await composeApp?.close();
    await (await served?.catch(() => undefined))?.app.close();
    if (cliDb) await dropTestDatabase(cliDb);
    await deleteRedisKeys(cliEnv().REDIS_URL ?? 'redis://127.0.0.1:6379', redisPrefix);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('are found (the extraction reads the docs)', () => {
    expect(COMMANDS.length).toBeGreaterThan(40);
    expect(COMMANDS.map((c) => c.text)).toContain('bash scripts/demo.sh');
  });

  it('each meet a rule, and each rule meets a command', () => {
    const unclassified = COMMANDS.filter((c) => !ruleOf(c)).map((c) => `${c.where}  ${c.text}`);
    expect(unclassified).toEqual([]);
    const unused = RULES.filter((r) => !COMMANDS.some((c) => ruleOf(c) === r)).map((r) => String(r.match));
    expect(unused).toEqual([]);
    expect(RULES.filter((r) => r.verdict !== 'not here' && !r.check).map((r) => String(r.match))).toEqual([]);
  });

  describe.each(COMMANDS.filter((c) => ruleOf(c)?.check).map((c) => [`${c.where} ${c.text}`, c] as const))(
    '%s',
    (_, command) => {
      const rule = ruleOf(command)!;
      it(`${rule.verdict}: ${rule.why}`, () => {
        // Two apps live in this process (the compose api's and the traffic commands'): tokens are
        // checked by the compose api's unless a rule says otherwise (test/support/replica.ts).
        checkTokensWith(composeApp);
        return rule.check!(command.text);
      }, 120_000);
    },
  );
});
