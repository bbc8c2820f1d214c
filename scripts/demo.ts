/**
 * The second half of `scripts/demo.sh`, against the running API: log in as the admin, train a
 * model on the imported `credit` dataset, move `production` to it, create an API token with the
 * `predict` scope and print a ready-to-paste curl. Compiled to dist/scripts/demo.js.
 */
const base = process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;

async function call<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function main(): Promise<void> {
  const email = process.env.ADMIN_EMAIL as string;
  const { accessToken } = await call('POST', '/auth/login', undefined, { email, password: process.env.ADMIN_PASSWORD });
  const job = await call('POST', '/training-jobs', accessToken, {
    dataset: 'credit',
    task: 'binary',
    positiveClass: 'bad',
    promoteTo: 'production',
  });
  process.stdout.write(`training job ${job.id} queued`);
  let state = job;
  while (!['succeeded', 'failed', 'cancelled'].includes(state.state)) {
    await new Promise((r) => setTimeout(r, 500));
    state = await call('GET', `/training-jobs/${job.id}`, accessToken);
    if (state.progress)
      process.stdout.write(
        `\repoch ${state.progress.epoch}/${state.progress.maxEpochs} loss ${state.progress.loss.toFixed(4)} val_loss ${state.progress.valLoss.toFixed(4)}   `,
      );
  }
  process.stdout.write('\n');
  if (state.state !== 'succeeded') throw new Error(`training ${state.state}: ${state.error}`);
  const m = state.result.metrics;
  process.stdout.write(
    `model credit v${state.modelVersion}: held-out ROC AUC ${m.roc_auc.toFixed(4)}, backend ${state.result.backend}; production: ${JSON.stringify(state.result.promotions.production)}\n`,
  );

  const token = await call('POST', '/api-tokens', accessToken, {
    name: `demo-${Date.now()}`,
    scopes: ['predict', 'feedback'],
  });
  const schema = await call('GET', '/models/credit/schema', accessToken);
  const example = JSON.stringify(schema.example);
  process.stdout.write(`
Ready. Swagger UI: ${base}/docs (admin ${email})
Get a prediction:

curl -s -X POST ${base}/models/credit/predict \\
  -H 'authorization: Bearer ${token.token}' \\
  -H 'content-type: application/json' \\
  -d '${example.replace(/'/g, "'\\''")}'

`);
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
