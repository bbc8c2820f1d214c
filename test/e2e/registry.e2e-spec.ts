import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { DatasetUsageCheckers } from '../../src/data/dataset-usage';
import { EventBus } from '../../src/events';
import { RedisService } from '../../src/redis/redis.service';
import { AliasMoved, type AliasMovedEvent } from '../../src/registry/alias-moved.event';
import { ModelRegistryService } from '../../src/registry/model-registry.service';
import { TrackingService } from '../../src/registry/tracking.service';
import { RegistryErrorCode } from '../../src/registry';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

describe('registry: tracking, search, versions, gated aliases (real app)', () => {
  let t: TestApp;
  let http: Http;
  let admin: Http;
  let scientist: Http;
  let scientistToken: string;
  let consumer: Http;
  let tracking: TrackingService;

  beforeAll(async () => {
    t = await startTestApp({
      GATE_MIN_METRICS: 'roc_auc>=0.7',
      GATE_MAX_REGRESSION: '0.01',
      GATE_PRIMARY_METRIC: 'roc_auc',
    });
    http = new Http(t.baseUrl);
    admin = http.as(await tokenFor(t, 'admin'));
    scientistToken = await tokenFor(t, 'scientist');
    scientist = http.as(scientistToken);
    consumer = http.as(await tokenFor(t, 'consumer'));
    tracking = t.app.get(TrackingService);
  });
  afterAll(() => t.close());

  /** A finished run with a bundle, as training records it (through the exported service). */
  async function finishedRun(
    experiment: string,
    metrics: Record<string, number>,
    opts: { params?: Record<string, string | number>; dataset?: string } = {},
  ) {
    const run = await tracking.startRun({
      experimentName: experiment,
      startedBy: 'user:test',
      params: opts.params ?? {},
      datasetVersionId: opts.dataset ?? 'ds-1',
      datasetHash: 'abc',
      backend: 'cpu',
    });
    await tracking.logMetrics(run.id, { loss: 0.9 }, 0);
    await tracking.logMetrics(run.id, { loss: 0.5 }, 1);
    await tracking.logFinalMetrics(run.id, metrics);
    const bundle = Buffer.from(JSON.stringify({ formatVersion: 1, marker: run.id }));
    await tracking.putArtifact(run.id, 'model/bundle.json', bundle, 'application/json');
    await tracking.endRun(run.id, 'finished');
    return { run, bundle };
  }

  it('records a run over HTTP: params, per-epoch history, final metrics, status, code version', async () => {
    const started = await scientist.post('/runs', {
      experimentName: 'http-exp',
      name: 'first',
      params: { lr: 0.01, layers: '64-32' },
      datasetVersionId: 'ds-9',
      datasetHash: 'f00',
      backend: 'wasm',
    });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    expect(started.body).toMatchObject({
      status: 'running',
      params: { lr: '0.01', layers: '64-32' },
      datasetVersionId: 'ds-9',
      backend: 'wasm',
      mirror: { status: 'disabled' },
    });
    expect(started.body.startedBy).toMatch(/^user:/);
    expect(started.body.codeVersion).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim());
    for (const [step, loss] of [
      [0, 0.7],
      [1, 0.4],
      [2, 0.3],
    ]) {
      expect((await scientist.post(`/runs/${id}/metrics`, { metrics: { loss }, step })).status).toBe(200);
    }
    await scientist.post(`/runs/${id}/metrics`, { metrics: { roc_auc: 0.91 } });
    const ended = await scientist.patch(`/runs/${id}`, { status: 'finished' });
    expect(ended.status).toBe(200);
    expect((await consumer.get(`/runs/${id}`)).status).toBe(403);
    const got = await scientist.get(`/runs/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.metricHistory.loss.map((p: { step: number; value: number }) => [p.step, p.value])).toEqual([
      [0, 0.7],
      [1, 0.4],
      [2, 0.3],
    ]);
    expect(got.body).toMatchObject({ status: 'finished', metrics: { roc_auc: 0.91 }, experimentName: 'http-exp' });
    expect(got.body.endedAt).toEqual(expect.any(String));
    expect((await scientist.patch(`/runs/${id}`, { status: 'failed' })).status).toBe(409);
  });

  it('guards writes and reads by role (consumers see no runs or experiments)', async () => {
    expect((await http.get('/runs')).status).toBe(401);
    expect((await consumer.post('/runs', { experimentName: 'nope' })).status).toBe(403);
    expect((await consumer.get('/runs')).status).toBe(403);
    expect((await consumer.get('/experiments')).status).toBe(403);
    expect((await scientist.get('/runs')).status).toBe(200);
    expect((await scientist.post('/runs', { experimentName: 'bad name!' })).status).toBe(422);
  });

  it('a refused run creates no experiment (found by the fuzz suite)', async () => {
    const refused = await scientist.post('/runs', { experimentName: 'never-made', tags: { 'bad*tag': 'x' } });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('registry.invalid_run_input');
    expect((await scientist.get('/experiments/never-made')).status).toBe(404);
  });

  it('refuses changing a logged parameter and non-finite metrics', async () => {
    const run = await tracking.startRun({ experimentName: 'p', startedBy: 'user:test', params: { lr: 0.1 } });
    await expect(tracking.logParams(run.id, { lr: 0.2 })).rejects.toMatchObject({
      code: RegistryErrorCode.PARAMS_IMMUTABLE,
    });
    await tracking.logParams(run.id, { lr: 0.1, epochs: 5 });
    expect((await tracking.getRun(run.id)).params).toEqual({ lr: '0.1', epochs: '5' });
    await expect(tracking.logMetrics(run.id, { loss: Number.NaN }, 0)).rejects.toMatchObject({
      code: RegistryErrorCode.INVALID_RUN_INPUT,
    });
  });

  it('searches runs by experiment, status, parameter and metric, ordered by a metric, names bound', async () => {
    const a = await finishedRun('search', { roc_auc: 0.82 }, { params: { lr: '0.01' } });
    const b = await finishedRun('search', { roc_auc: 0.95 }, { params: { lr: '0.01' } });
    await finishedRun('search', { roc_auc: 0.99 }, { params: { lr: '0.1' } });
    await finishedRun('search', { roc_auc: 0.7 }, { params: { lr: '0.01' } });
    await finishedRun('other', { roc_auc: 0.99 }, { params: { lr: '0.01' } });
    const res = await scientist.get(
      '/runs?experiment=search&status=finished&param.lr=0.01&metric.roc_auc_gt=0.8&orderBy=metric.roc_auc&order=desc',
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([b.run.id, a.run.id]);
    const asc = await scientist.get(
      '/runs?experiment=search&param.lr=0.01&orderBy=metric.roc_auc&order=asc&limit=1&offset=1',
    );
    expect(asc.body.items.map((r: { id: string }) => r.id)).toEqual([a.run.id]);
    // Quotes in values are data, not SQL; odd names are refused by name.
    expect((await scientist.get(`/runs?param.lr=${encodeURIComponent("0.01' OR '1'='1")}`)).body.items).toEqual([]);
    const bad = await scientist.get(`/runs?${encodeURIComponent("param.lr') OR 1=1 --")}=1&metric.x_gt=abc`);
    expect(bad.status).toBe(422);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(["param.lr') OR 1=1 --", 'metric.x_gt']);
  });

  it('registers versions, gates alias moves, audits them, emits the event and rolls back', async () => {
    const v1 = await finishedRun('churn', { roc_auc: 0.8 });
    const v2 = await finishedRun('churn', { roc_auc: 0.75 });
    const low = await finishedRun('churn', { roc_auc: 0.65 });
    const reg = async (runId: string) => scientist.post('/models/churn/versions', { runId });
    const r1 = await reg(v1.run.id);
    expect(r1.status).toBe(201);
    expect(r1.body).toMatchObject({
      modelName: 'churn',
      version: 1,
      metrics: { roc_auc: 0.8 },
      evaluationDatasetVersionId: 'ds-1',
      aliases: [],
    });
    expect(r1.body.bundleSha256).toBe(createHash('sha256').update(v1.bundle).digest('hex'));
    expect((await reg(v2.run.id)).body.version).toBe(2);
    expect((await reg(low.run.id)).body.version).toBe(3);

    const inProcess: AliasMovedEvent[] = [];
    const viaRedis: unknown[] = [];
    t.app.get(EventBus).subscribe(AliasMoved, (e) => void inProcess.push(e));
    await t.app
      .get(RedisService)
      .subscribeAll((channel, message) => channel === AliasMoved.name && viaRedis.push(JSON.parse(message).payload));

    const first = await scientist.request<any>('PUT', '/models/churn/aliases/production', {
      version: 1,
      reason: 'first model',
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ fromVersion: null, toVersion: 1, forced: false, gate: { passed: true } });

    const under = await scientist.request<any>('PUT', '/models/churn/aliases/production', {
      version: 3,
      reason: 'try',
    });
    expect(under.status).toBe(422);
    expect(under.body.code).toBe('registry.quality_gate_refused');
    expect(under.body.details).toEqual(
      expect.arrayContaining([{ field: 'metrics.roc_auc', message: 'roc_auc is 0.65; the gate requires >= 0.7' }]),
    );
    const worse = await scientist.request<any>('PUT', '/models/churn/aliases/production', {
      version: 2,
      reason: 'try',
    });
    expect(worse.status).toBe(422);
    expect(worse.body.details[0].message).toMatch(/worse than version 1's 0.8 by 0.05 \(allowed 0.01\)/);

    expect(
      (
        await scientist.request<any>('PUT', '/models/churn/aliases/production', {
          version: 2,
          reason: 'force it',
          force: true,
        })
      ).status,
    ).toBe(403);
    expect(
      (await consumer.request<any>('PUT', '/models/churn/aliases/staging', { version: 1, reason: 'x y z' })).status,
    ).toBe(403);
    // The same status, told apart by code: the registry refuses a force, the guard a role.
    expect(
      (
        await scientist.request<any>('PUT', '/models/churn/aliases/production', {
          version: 2,
          reason: 'force it',
          force: true,
        })
      ).body.code,
    ).toBe('registry.force_needs_admin');
    expect(
      (await consumer.request<any>('PUT', '/models/churn/aliases/staging', { version: 1, reason: 'x y z' })).body.code,
    ).toBe('auth.access_denied');
    const forced = await admin.request<any>('PUT', '/models/churn/aliases/production', {
      version: 2,
      reason: 'hotfix: v1 mispredicts on new segment',
      force: true,
    });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ fromVersion: 1, toVersion: 2, forced: true, gate: { passed: false } });

    // Rolling back is moving the alias back (v1 is better than v2, so the gate passes).
    const back = await scientist.request<any>('PUT', '/models/churn/aliases/production', {
      version: 1,
      reason: 'roll back',
    });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ fromVersion: 2, toVersion: 1 });

    const history = await consumer.get('/models/churn/aliases/production/history');
    expect(
      history.body.map((h: { fromVersion: number | null; toVersion: number; reason: string }) => [
        h.fromVersion,
        h.toVersion,
        h.reason,
      ]),
    ).toEqual([
      [2, 1, 'roll back'],
      [1, 2, 'hotfix: v1 mispredicts on new segment'],
      [null, 1, 'first model'],
    ]);
    expect(history.body[1].actor).toMatch(/^user:/);
    expect(history.body[1].gate.reasons[0].field).toBe('metrics.roc_auc');

    expect(inProcess.map((e) => [e.fromVersion, e.toVersion])).toEqual([
      [null, 1],
      [1, 2],
      [2, 1],
    ]);
    expect(inProcess[1]).toMatchObject({
      modelName: 'churn',
      alias: 'production',
      forced: true,
      versionId: expect.any(String),
      auditId: forced.body.id,
    });
    await waitFor(() => viaRedis.length === 3);
    expect(viaRedis[2]).toMatchObject({ modelName: 'churn', alias: 'production', fromVersion: 2, toVersion: 1 });

    const model = await consumer.get('/models/churn');
    expect(model.body).toMatchObject({ name: 'churn', aliases: { production: 1 }, latestVersion: 3 });
    const alias = await consumer.get('/models/churn/aliases/production');
    expect(alias.body.version).toMatchObject({ version: 1, aliases: ['production'] });
    expect((await consumer.get('/models')).body.map((m: { name: string }) => m.name)).toContain('churn');
    expect((await consumer.get('/models/churn/versions')).body.map((v: { version: number }) => v.version)).toEqual([
      3, 2, 1,
    ]);

    // Inference's port: the version an alias names, and the bundle bytes of a version.
    const registry = t.app.get(ModelRegistryService);
    expect(await registry.aliasVersion('churn', 'production')).toBe(1);
    expect((await registry.bundleOf('churn', 1)).equals(v1.bundle)).toBe(true);
    expect((await registry.bundleOf('churn', 2)).equals(v2.bundle)).toBe(true);
    await expect(registry.aliasVersion('churn', 'nope')).rejects.toMatchObject({
      code: RegistryErrorCode.ALIAS_NOT_FOUND,
      message: 'Alias nope of model churn not found',
    });
    await expect(registry.aliasVersion('nobody', 'production')).rejects.toMatchObject({
      code: RegistryErrorCode.MODEL_NOT_FOUND,
      message: 'Model nobody not found',
    });
    await expect(registry.bundleOf('churn', 99)).rejects.toMatchObject({ code: RegistryErrorCode.VERSION_NOT_FOUND });

    const download = await fetch(`${t.baseUrl}/runs/${v1.run.id}/artifact?name=model/bundle.json`, {
      headers: { authorization: `Bearer ${scientistToken}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('x-artifact-sha256')).toBe(r1.body.bundleSha256);
    expect(Buffer.from(await download.arrayBuffer()).equals(v1.bundle)).toBe(true);
    expect((await consumer.get(`/runs/${v1.run.id}/artifact?name=model/bundle.json`)).status).toBe(403);
    expect((await scientist.get(`/runs/${v1.run.id}/artifact?name=nope.json`)).status).toBe(404);
    // A version holding an alias cannot be deleted.
    const refused = await scientist.delete('/models/churn/versions/1');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/production/);
    expect((await scientist.delete('/models/churn/versions/3')).status).toBe(204);
    expect((await consumer.get('/models/churn/versions/3')).status).toBe(404);
  });

  it('compares versions evaluated on different held-out data with a warning in the audit', async () => {
    const a = await finishedRun('drift', { roc_auc: 0.8 }, { dataset: 'ds-A' });
    const b = await finishedRun('drift', { roc_auc: 0.81 }, { dataset: 'ds-B' });
    await scientist.post('/models/drift/versions', { runId: a.run.id });
    await scientist.post('/models/drift/versions', { runId: b.run.id, evaluationSplit: 'seed=7' });
    await scientist.request<any>('PUT', '/models/drift/aliases/staging', { version: 1, reason: 'first' });
    const moved = await scientist.request<any>('PUT', '/models/drift/aliases/staging', {
      version: 2,
      reason: 'retrained on newer data',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.gate.sameEvaluationData).toBe(false);
    expect(moved.body.gate.warnings[0]).toMatch(/different held-out data \(ds-A vs ds-B \/ seed=7\)/);
    const registry = t.app.get(ModelRegistryService);
    expect(await registry.isDatasetVersionUsed('ds-B')).toBe(true);
    expect(await registry.isDatasetVersionUsed('ds-never')).toBe(false);
    // The data module's port, answered by the registry's checker.
    expect(await t.app.get(DatasetUsageCheckers).usages(['ds-A', 'ds-B', 'ds-never'])).toEqual([
      { versionId: 'ds-A', usedBy: 'model drift v1' },
      { versionId: 'ds-B', usedBy: 'model drift v2' },
    ]);
  });

  it('refuses registering an unfinished run or one without a bundle', async () => {
    const running = await tracking.startRun({ experimentName: 'x', startedBy: 'user:test' });
    expect((await scientist.post('/models/m/versions', { runId: running.id })).status).toBe(409);
    await tracking.endRun(running.id, 'finished');
    const noBundle = await scientist.post('/models/m/versions', { runId: running.id });
    expect(noBundle.status).toBe(422);
    expect(noBundle.body.details[0].field).toBe('artifactName');
  });

  it('documents the run search syntax in OpenAPI', async () => {
    const doc = await http.get('/docs-json');
    expect(doc.body.paths['/runs'].get.description).toMatch(/metric\.<name>_<op>/);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/models/{name}/aliases/{alias}',
        '/models/{name}/aliases/{alias}/history',
        '/runs/{id}/mirror',
      ]),
    );
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
