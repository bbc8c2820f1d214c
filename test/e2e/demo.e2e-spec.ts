import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ADMIN as ADMIN, output, runDemo, type Run } from '../support/demo';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

/** The paragraph of `out` that starts with `start` (up to the next blank line): a printed command. */
function command(out: string, start: string): string {
  const at = out.indexOf(start);
  if (at < 0) throw new Error(`no command starting with ${start} in:\n${out}`);
  return out.slice(at, out.indexOf('\n\n', at));
}

/** Runs a printed command in bash, then `after` (e.g. printing a variable it set); its output. */
async function shell(cmd: string, after = ''): Promise<string> {
  // Not spawnSync: the app answering the command runs in this process.
  const run = await output(spawn('bash', ['-c', `${cmd}\n${after}`]));
  if (run.code !== 0) throw new Error(`bash exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

describe('scripts/demo.ts against the running app, twice', () => {
  let t: TestApp;
  let state: string;
  let admin: Http;
  let first: Run;
  let second: Run;

  const demo = (env: NodeJS.ProcessEnv = {}): Promise<Run> => runDemo(t, state, env);

  const storedToken = () =>
    JSON.parse(readFileSync(join(state, 'api-tokens.json'), 'utf8'))[`${t.baseUrl} ${t.database}`];

  beforeAll(async () => {
    // The first admin is created at start from the environment, as scripts/demo.sh has the API do.
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    state = mkdtempSync(join(tmpdir(), 'demo-state-'));
    const login = await new Http(t.baseUrl).post('/auth/login', ADMIN);
    admin = new Http(t.baseUrl, login.body.accessToken);
    first = await demo();
    // The second as scripts/demo.sh runs it with its background traffic (DEMO_TRAFFIC, on by default).
    second = await demo({ DEMO_TRAFFIC_LOG: 'logs/traffic.log', DEMO_TRAFFIC_RATE: '5' });
  });
  afterAll(async () => {
    if (state) rmSync(state, { recursive: true, force: true });
    await t?.close();
  });

  it('first imports, trains, promotes and mints a token, with plain progress lines off a terminal', () => {
    expect(first.stderr).not.toContain('demo failed');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/imported version 1 of credit/);
    expect(first.stdout).toMatch(/^training job [0-9a-f-]{36} queued$/m);
    expect(first.stdout).toMatch(/^epoch 3\/3 loss \d+\.\d{4} val_loss \d+\.\d{4}$/m);
    expect(first.stdout).toMatch(/model credit v1: .*production: \{"moved":true/);
    expect(first.stdout).toContain('reused: nothing');
    for (const run of [first, second]) expect(run.stdout + run.stderr).not.toContain('\r');
    expect(statSync(join(state, 'api-tokens.json')).mode & 0o777).toBe(0o600);
    expect(statSync(state).mode & 0o777).toBe(0o700);
  });

  it('then reuses the dataset version, the model version and the API token, and says so', async () => {
    expect(second.stderr).not.toContain('demo failed');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/unchanged: the file is identical to version 1 of credit/);
    expect(second.stdout).not.toContain('training job');
    expect(second.stdout).toContain('reused: dataset credit v1, model credit v1 (production), API token demo\n');
    const tokens = (await admin.get('/api-tokens')).body.filter((k: any) => k.name === 'demo');
    expect(tokens).toHaveLength(1);
    expect((await admin.get('/models/credit/versions')).body).toHaveLength(1);
    expect((await admin.get('/datasets/credit/versions')).body).toHaveLength(1);
    expect(second.stdout).toContain(`Bearer ${storedToken().token}`);
  });

  it('prints the URLs, the credentials, the log file and commands that work when pasted', async () => {
    const out = second.stdout;
    for (const path of ['/dashboard', '/docs', '/health/ready', '/metrics'])
      expect(out).toContain(`${t.baseUrl}${path}  (`);
    // The dashboard's URL answers (its login page for a browser without a session).
    const dashboard = await fetch(`${t.baseUrl}/dashboard`, { redirect: 'manual' });
    expect([dashboard.status, dashboard.headers.get('location')]).toEqual([302, '/dashboard/login']);
    expect(out).toContain(
      `${t.baseUrl}/dashboard  (monitoring, live; sign in as the admin: ${ADMIN.email} / ${ADMIN.password})`,
    );
    expect(out).toMatch(/Logs +logs\/api\.log/);
    expect(out).toMatch(new RegExp(`email +${ADMIN.email}\\n +password +${ADMIN.password}\\n`));

    const jwt = await shell(command(out, 'JWT=$(curl'), 'printf %s "$JWT"');
    expect((await new Http(t.baseUrl, jwt).get('/auth/me')).body).toMatchObject({ email: ADMIN.email });

    const predicted = JSON.parse(await shell(command(out, `curl -s -X POST ${t.baseUrl}/models/credit/predict`)));
    expect(predicted).toMatchObject({ model: 'credit', version: 1, alias: 'production' });
    expect(predicted.predictions).toHaveLength(1);

    const change = command(out, `curl -s -X POST ${t.baseUrl}/auth/password`);
    expect(change).toContain('"authorization: Bearer $JWT"');
    expect(change).toContain(`"currentPassword":"${ADMIN.password}","newPassword":`);
  });

  it('prints the traffic command, which works with the kept token and no other flag', async () => {
    const traffic = command(second.stdout, 'npm run traffic -- ');
    expect(traffic).toBe(`npm run traffic -- --model credit --url ${t.baseUrl}`);
    // Short and quick to label here; the state directory is the demo's own (a user's is .demo/).
    const out = await shell(`DEMO_STATE_DIR=${state} ${traffic} --duration 2s --feedback-delay 200ms`);
    expect(out).toMatch(
      /^sending 10 predictions\/s to credit v1 \(production\) at \S+ with \S+api-tokens\.json \(API token "demo"\): rows of data\/credit_data\.csv/m,
    );
    const done = /^done: sent (\d+) {2}ok (\d+) {2}errors 0 {2}feedback sent (\d+) pending 0 {2}rate /m.exec(out);
    expect(done).not.toBeNull();
    const [sent, ok, labelled] = done!.slice(1).map(Number);
    expect(sent).toBeGreaterThan(0);
    expect([ok, labelled]).toEqual([sent, sent]);
  });

  it('says what the background traffic is where demo.sh runs it, and prints the --drift command, which works', async () => {
    expect(first.stdout).not.toContain('in the background');
    expect(second.stdout).toContain(
      'Traffic: 5 predictions a second of the shipped data run in the background, each true label\n30 s later, so the dashboard moves from the start (logs/traffic.log; DEMO_TRAFFIC=0 turns it off).',
    );
    const drift = second.stdout.split('\n').find((l) => l.startsWith('npm run traffic -- ') && l.endsWith(' --drift'));
    expect(drift).toBe(`npm run traffic -- --model credit --url ${t.baseUrl} --drift`);
    const out = await shell(`DEMO_STATE_DIR=${state} ${drift} --duration 1s --no-feedback`);
    expect(out).toMatch(
      /^sending 10 predictions\/s to credit v1 \(production\) .* drifted \(numeric features \+1\.5 sd/m,
    );
    expect(out).toMatch(/^done: sent [1-9]\d* {2}ok [1-9]\d* {2}errors 0 /m);
  });

  it('mints a new token when the API no longer accepts the kept one', async () => {
    const old = storedToken();
    expect((await admin.delete(`/api-tokens/${old.id}`)).status).toBe(204);
    const third = await demo();
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('reused: dataset credit v1, model credit v1 (production)\n');
    const fresh = storedToken();
    expect(fresh.id).not.toBe(old.id);
    const predicted = JSON.parse(
      await shell(command(third.stdout, `curl -s -X POST ${t.baseUrl}/models/credit/predict`)),
    );
    expect(predicted.predictions).toHaveLength(1);
  });
});
