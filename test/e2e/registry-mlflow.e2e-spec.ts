import { createServer, type Server } from 'node:http';
import { ModelRegistryService } from '../../src/registry/model-registry.service';
import { TrackingService } from '../../src/registry/tracking.service';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { ensureMlflowInstalled, startMlflowServer, type MlflowServer } from '../support/mlflow-server';
import { startTestApp, type TestApp } from '../support/test-app';

// Throws, naming the install command, when the pinned MLflow cannot be installed: the suite fails.
const mlflow = ensureMlflowInstalled();

/** Sits between the app and MLflow: forwards, records auth headers, and can play "down" (503). */
class FlakyProxy {
  down = false;
  readonly authorizations = new Set<string>();
  private server?: Server;

  async start(target: string): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.headers.authorization) this.authorizations.add(req.headers.authorization);
        if (this.down) {
          res
            .writeHead(503, { 'content-type': 'application/json' })
            .end('{"error_code":"TEMPORARILY_UNAVAILABLE","message":"down for the test"}');
          return;
        }
        const body = chunks.length ? Buffer.concat(chunks) : undefined;
        const headers: Record<string, string> = {};
        if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
        fetch(target + (req.url ?? ''), { method: req.method, headers, body })
          .then(async (r) =>
            res
              .writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' })
              .end(Buffer.from(await r.arrayBuffer())),
          )
          .catch((err: Error) => res.writeHead(502).end(err.message));
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

describe('registry → MLflow mirror (real MLflow tracking server)', () => {
  let server: MlflowServer;
  let proxy: FlakyProxy;
  let t: TestApp;
  let scientist: Http;
  let mlflowApi: Http;
  let tracking: TrackingService;

  beforeAll(async () => {
    server = await startMlflowServer(mlflow);
    proxy = new FlakyProxy();
    const proxyUrl = await proxy.start(server.url);
    t = await startTestApp({
      MLFLOW_TRACKING_URI: proxyUrl,
      MLFLOW_TOKEN: 'test-mlflow-token',
      MLFLOW_MIRROR_ATTEMPTS: '3',
      MLFLOW_MIRROR_BACKOFF_MS: '100',
      GATE_MIN_METRICS: 'roc_auc>=0.7',
    });
    scientist = new Http(t.baseUrl).as(await tokenFor(t, 'scientist'));
    mlflowApi = new Http(server.url);
    tracking = t.app.get(TrackingService);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await proxy?.stop();
    await server?.stop();
  });

  async function waitForRun(id: string, done: (run: any) => boolean, timeoutMs = 30_000): Promise<any> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const run = (await scientist.get(`/runs/${id}`)).body;
      if (done(run)) return run;
      if (Date.now() > until) throw new Error(`run mirror state never matched: ${JSON.stringify(run.mirror)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function trainedRun(metrics: Record<string, number>) {
    const run = await tracking.startRun({
      experimentName: 'mirror-exp',
      name: 'mlp',
      startedBy: 'user:alice',
      params: { lr: 0.01, hidden: '64-32' },
      tags: { purpose: 'e2e' },
      datasetVersionId: 'ds-42',
      datasetHash: 'cafe',
      backend: 'cpu',
    });
    for (const [step, loss] of [
      [0, 0.9],
      [1, 0.6],
      [2, 0.45],
    ] as const)
      await tracking.logMetrics(run.id, { loss, val_auc: 0.6 + step / 10 }, step);
    await tracking.logFinalMetrics(run.id, metrics);
    const bundle = Buffer.from(JSON.stringify({ formatVersion: 1, weights: 'AAAA', runId: run.id }));
    await tracking.putArtifact(run.id, 'model/bundle.json', bundle, 'application/json');
    await tracking.endRun(run.id, 'finished');
    return { id: run.id, bundle };
  }

  it('mirrors the experiment, run, params, tags, metric history with steps and the bundle artifact', async () => {
    const { id, bundle } = await trainedRun({ roc_auc: 0.83, accuracy: 0.8 });
    const local = await waitForRun(id, (r) => r.mirror.status === 'synced' && r.mirror.mlflowRunId);
    const mlflowRunId = local.mirror.mlflowRunId as string;

    const got = await mlflowApi.get(`/api/2.0/mlflow/runs/get?run_id=${mlflowRunId}`);
    expect(got.status).toBe(200);
    const run = got.body.run;
    expect(run.info.status).toBe('FINISHED');
    expect(run.info.run_name).toBe('mlp');
    const kv = (list: { key: string; value: unknown }[]) => Object.fromEntries(list.map((x) => [x.key, x.value]));
    expect(kv(run.data.params)).toEqual({ lr: '0.01', hidden: '64-32' });
    expect(kv(run.data.tags)).toMatchObject({
      purpose: 'e2e',
      'mlapi.run_id': id,
      'mlapi.dataset_version_id': 'ds-42',
      'mlapi.dataset_hash': 'cafe',
      'mlapi.backend': 'cpu',
      'mlflow.source.git.commit': local.codeVersion,
      'mlflow.user': 'user:alice',
    });
    expect(kv(run.data.metrics)).toMatchObject({ roc_auc: 0.83, accuracy: 0.8, loss: 0.45 });

    const history = await mlflowApi.get(`/api/2.0/mlflow/metrics/get-history?run_id=${mlflowRunId}&metric_key=loss`);
    expect(history.body.metrics.map((m: { step: number; value: number }) => [Number(m.step), m.value]).sort()).toEqual([
      [0, 0.9],
      [1, 0.6],
      [2, 0.45],
    ]);

    const experiment = await mlflowApi.get('/api/2.0/mlflow/experiments/get-by-name?experiment_name=mirror-exp');
    expect(experiment.body.experiment.experiment_id).toBe(run.info.experiment_id);

    // The bundle went through the server's artifact proxy and comes back byte for byte.
    const root = (run.info.artifact_uri as string).replace(/^mlflow-artifacts:\/*/, '');
    const artifact = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${root}/model/bundle.json`);
    expect(artifact.status).toBe(200);
    expect(Buffer.from(await artifact.arrayBuffer()).equals(bundle)).toBe(true);
    expect([...proxy.authorizations]).toEqual(['Bearer test-mlflow-token']);
  });

  it('mirrors registered model versions and aliases to the MLflow model registry', async () => {
    const a = await trainedRun({ roc_auc: 0.8 });
    const b = await trainedRun({ roc_auc: 0.85 });
    const registry = t.app.get(ModelRegistryService);
    await registry.registerVersion('mirror-model', { runId: a.id }, 'user:alice');
    await registry.registerVersion('mirror-model', { runId: b.id }, 'user:alice');
    expect(
      (await scientist.request('PUT', '/models/mirror-model/aliases/champion', { version: 2, reason: 'best auc' }))
        .status,
    ).toBe(200);
    expect(
      (
        await scientist.request('PUT', '/models/mirror-model/aliases/previous', {
          version: 1,
          reason: 'keep for rollback',
        })
      ).status,
    ).toBe(200);

    const until = Date.now() + 30_000;
    let champion: any;
    for (;;) {
      const res = await mlflowApi.get('/api/2.0/mlflow/registered-models/alias?name=mirror-model&alias=champion');
      if (res.status === 200) {
        champion = res.body.model_version;
        break;
      }
      if (Date.now() > until)
        throw new Error(
          `alias never mirrored: ${JSON.stringify(res.body)} ${JSON.stringify((await scientist.get('/models/mirror-model')).body)}`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
    const runB = (await scientist.get(`/runs/${b.id}`)).body;
    expect(champion.run_id).toBe(runB.mirror.mlflowRunId);
    expect(
      Object.fromEntries(champion.tags.map((x: { key: string; value: string }) => [x.key, x.value])),
    ).toMatchObject({ 'mlapi.version': '2' });
    const previous = await mlflowApi.get('/api/2.0/mlflow/registered-models/alias?name=mirror-model&alias=previous');
    expect(previous.body.model_version.tags).toEqual(expect.arrayContaining([{ key: 'mlapi.version', value: '1' }]));
    const versions = (await scientist.get('/models/mirror-model/versions')).body;
    expect(versions.map((v: { mlflowVersion: string | null }) => v.mlflowVersion).sort()).toEqual(
      [champion.version, previous.body.model_version.version].sort(),
    );
  });

  it('retries with backoff, shows `failed` with the last error, and re-mirrors on request', async () => {
    proxy.down = true;
    const { id } = await trainedRun({ roc_auc: 0.9 });
    const failed = await waitForRun(id, (r) => r.mirror.status === 'failed');
    expect(failed.mirror.lastError).toMatch(/503/);
    expect(failed.mirror.attempts).toBe(3);
    expect(failed.mirror.mlflowRunId).toBeNull();
    // Training was not affected: the run itself is complete.
    expect(failed.status).toBe('finished');

    proxy.down = false;
    const queued = await scientist.post(`/runs/${id}/mirror`);
    expect(queued.status).toBe(202);
    expect(queued.body.mirror.status).toBe('pending');
    const synced = await waitForRun(id, (r) => r.mirror.status === 'synced');
    expect(synced.mirror.lastError).toBeNull();
    const run = (await mlflowApi.get(`/api/2.0/mlflow/runs/get?run_id=${synced.mirror.mlflowRunId}`)).body.run;
    expect(run.info.status).toBe('FINISHED');
    const history = await mlflowApi.get(
      `/api/2.0/mlflow/metrics/get-history?run_id=${synced.mirror.mlflowRunId}&metric_key=val_auc`,
    );
    expect(history.body.metrics).toHaveLength(3);
  });
});
