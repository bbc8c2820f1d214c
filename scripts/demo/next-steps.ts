export interface NextSteps {
  base: string;
  email: string;
  password: string;
  /** Where the API writes its log, when the demo knows (scripts/demo.sh says). */
  apiLog?: string;
  /** The background traffic demo.sh runs (DEMO_TRAFFIC), when it does: its rate and log. */
  background?: { rate: number; log: string };
  model: { name: string; version: number; alias: string | null };
  token: { name: string; scopes: string[]; token: string; file: string };
  example: unknown;
  reused: string[];
}

/** The URLs a new user opens. */
const PAGES: [name: string, path: string, what: string][] = [
  ['Dashboard', '/dashboard', 'monitoring, live; sign in as the admin: {admin}'],
  ['Swagger UI', '/docs', 'every route; Authorize with the JWT from the login below'],
  ['Health', '/health/ready', 'readiness, dependencies, the TensorFlow.js backend'],
  ['Metrics', '/metrics', 'Prometheus; the admin JWT or an API token with scope metrics:read'],
];

/** A single-quoted shell word. */
const quoted = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/** A curl command over lines; `auth` is a shell word (quoted, or "…$JWT…" to expand). */
function curl(method: string, url: string, opts: { auth?: string; body?: unknown } = {}): string {
  const lines = [`curl -s -X ${method} ${url}`];
  if (opts.auth) lines.push(`  -H ${opts.auth}`);
  if (opts.body !== undefined)
    lines.push(`  -H 'content-type: application/json'`, `  -d ${quoted(JSON.stringify(opts.body))}`);
  return lines.join(' \\\n');
}

function pages(base: string, apiLog: string | undefined, admin: string): string[] {
  const width = Math.max(...PAGES.map(([name]) => name.length));
  const log = apiLog ? `${apiLog}  (JSON lines: tail -f ${apiLog})` : "the API's standard output (JSON lines)";
  return [
    ...PAGES.map(
      ([name, path, what]) => `  ${name.padEnd(width)}  ${base}${path}  (${what.replace('{admin}', admin)})`,
    ),
    `  ${'Logs'.padEnd(width)}  ${log}`,
  ];
}

/** The traffic generator's command for the demo's model (its defaults: this API, the kept token). */
function traffic(base: string, model: NextSteps['model'], background: NextSteps['background']): string[] {
  const flags = [
    `--model ${model.name}`,
    ...(model.alias ? [] : [`--version ${model.version}`]),
    // npm run traffic's default URL is http://localhost:$PORT, and a new shell has no PORT.
    ...(base === 'http://localhost:3000' ? [] : [`--url ${base}`]),
  ];
  const running = background
    ? [
        `Traffic: ${background.rate} predictions a second of the shipped data run in the background, each true label`,
        `30 s later, so the dashboard moves from the start (${background.log}; DEMO_TRAFFIC=0 turns it off).`,
        '',
      ]
    : [];
  return [
    ...running,
    'Send traffic, in another terminal here (after `source scripts/node-runtime.sh`): rows of the shipped data as',
    "predictions (10 a second; --rate 50 for more), each row's true label as feedback 30 s later",
    '(--feedback-delay), until Ctrl-C; --drift shifts the features and adds unseen categories, so drift,',
    'estimated then realised quality and alerts show in monitoring (README, "Traffic generator"):',
    `npm run traffic -- ${flags.join(' ')}`,
    '',
    'See drift and an alert: drifted traffic; the drift heat map turns within a minute or two, the',
    'demo-dataset-drift alert fires a minute later (README, "The first minutes after the demo"):',
    `npm run traffic -- ${flags.join(' ')} --drift`,
  ];
}

/** What the demo prints once the API is ready: what it reused, where to look, and what to paste next. */
export function nextSteps(s: NextSteps): string {
  const { base, email, password, model, token } = s;
  const served = model.alias ? `${model.alias} (v${model.version})` : `v${model.version}`;
  const login = curl('POST', `${base}/auth/login`, { body: { email, password } });
  return [
    s.reused.length ? `reused: ${s.reused.join(', ')}` : 'reused: nothing (a first run)',
    '',
    'Ready.',
    ...pages(base, s.apiLog, `${email} / ${password}`),
    '',
    'Admin (laptop defaults; ADMIN_EMAIL / ADMIN_PASSWORD choose others before the first run):',
    `  email     ${email}`,
    `  password  ${password}`,
    '',
    "Log in as the admin: the answer's accessToken, a JWT (short-lived: log in again), goes to $JWT:",
    `JWT=$(${login} | sed -nE 's/.*"accessToken":"([^"]+)".*/\\1/p')`,
    '',
    "Change the admin's default password (answers 204 and ends the admin's other sessions; then run",
    'the demo with ADMIN_PASSWORD set to the new one):',
    curl('POST', `${base}/auth/password`, {
      auth: '"authorization: Bearer $JWT"',
      body: { currentPassword: password, newPassword: '<a new password, 12 characters or more>' },
    }),
    '',
    `Get a prediction from ${model.name} ${served} with the API token "${token.name}" (scopes ${token.scopes.join(', ')}; secret kept in ${token.file}):`,
    curl('POST', `${base}/models/${model.name}/predict${model.alias ? '' : `?version=${model.version}`}`, {
      auth: quoted(`authorization: Bearer ${token.token}`),
      body: s.example,
    }),
    '',
    ...traffic(base, model, s.background),
    '',
  ].join('\n');
}
