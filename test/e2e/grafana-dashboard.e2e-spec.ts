import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { DataSource } from 'typeorm';
import type { CellValue } from '../../src/ml';
import { PredictionLog } from '../../src/inference/prediction-log/prediction-log.service';
import { BucketRecorder, WindowJob } from '../../src/monitoring';
import { RealisedQualityJob } from '../../src/monitoring/quality/realised-quality.job';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { parsePrometheusText, type Exposition } from '../support/prometheus-text';
import { localConfig, prometheusBinary, startPrometheus, type PrometheusServer } from '../support/prometheus-server';
import { metricNames } from '../support/promql-names';
import { REPO_ROOT } from '../support/repo-root';
import { startTestApp, type TestApp } from '../support/test-app';
import { importCsv, trainBriefly } from '../support/training';
import { freePort, killHard, startWorkerProcess } from '../support/worker-process';

const DASHBOARD = 'dashboards/grafana/ml-api.json';
const PROMETHEUS_YML = 'dashboards/prometheus/prometheus.yml';
const DATASOURCES = 'dashboards/grafana/provisioning/datasources/prometheus.yml';

interface Panel {
  title?: string;
  type: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}

const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, DASHBOARD), 'utf8')) as {
  panels: Panel[];
  templating: { list: { name: string; query: { query: string } }[] };
};
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
/** Every PromQL expression of the dashboard: its panels' targets and its variables' queries. */
const EXPRESSIONS = [
  ...allPanels(dashboard.panels).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: p.title ?? p.type, expr: t.expr })),
  ),
  ...dashboard.templating.list.map((v) => ({ where: `variable ${v.name}`, expr: v.query.query })),
];

/** What Grafana puts in the expressions, as this test's Prometheus (1 s scrapes) needs them. */
const asQueried = (expr: string) => expr.replaceAll('$__rate_interval', '10s').replaceAll('$model', 'credit');

const HOUR = 3_600_000;

/**
 * The monitoring profile's Prometheus and Grafana dashboard against the real app, as compose runs
 * it: an api process and a worker process with its own metrics port, after traffic (answered,
 * refused and with an unseen category) to a production version with a shadow, feedback on some of
 * it, a training job, a window job and a realised-quality run. Every metric name the
 * dashboard's queries use must have samples in the api's `/metrics` (scraped with a metrics:read
 * API token) or the worker's port; then a real Prometheus scrapes both with the shipped jobs and
 * every expression must return data.
 */
describe('the Grafana dashboard and the Prometheus of the monitoring profile', () => {
  let t: TestApp;
  let consumer: Http;
  let metrics: Http;
  let worker: ChildProcess | undefined;
  let workerUrl: string;
  let metricsToken: string;
  let records: Record<string, CellValue>[];
  let statuses: CellValue[];
  let dir: string;
  let prometheus: PrometheusServer | undefined;

  /** Answered predictions, one refused (422: a number that is not one) and one with a Home the model never saw. */
  async function traffic(): Promise<void> {
    for (let i = 0; i < records.length; i += 100)
      expect((await consumer.post('/models/credit/predict', { instances: records.slice(i, i + 100) })).status).toBe(
        200,
      );
    expect((await consumer.post('/models/credit/predict?version=1', { features: records[0] })).status).toBe(200);
    expect(
      (await consumer.post('/models/credit/predict', { features: { ...records[0], Home: 'castle' } })).status,
    ).toBe(200);
    expect(
      (await consumer.post('/models/credit/predict', { features: { ...records[0], Income: 'lots' } })).status,
    ).toBe(422);
  }

  /**
   * Predictions with their true labels as feedback, each also scored by the shadow, then realised
   * quality of the window they are in, computed as the job will once that window has ended.
   */
  async function labelledTraffic(): Promise<void> {
    const res = await consumer.post('/models/credit/predict', { instances: records.slice(0, 40) });
    expect(res.status).toBe(200);
    const ids = (res.body.predictions as { predictionId: string }[]).map((p) => p.predictionId);
    const log = t.app.get(PredictionLog);
    const ds = t.app.get(DataSource);
    // The shadow scores after the answer: its linked records are in the log once all are flushed.
    let linked = 0;
    for (let i = 0; i < 100 && linked < ids.length; i++) {
      await log.flush();
      const [row] = await ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM inference.predictions WHERE alias = 'shadow' AND shadow_of = ANY($1::uuid[])`,
        [ids],
      );
      linked = row.n;
      if (linked < ids.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(linked).toBe(ids.length);
    for (const [i, id] of ids.entries())
      expect([200, 201]).toContain((await consumer.post(`/predictions/${id}/feedback`, { label: statuses[i] })).status);
    const job = t.app.get(RealisedQualityJob);
    const ended = new Date((Math.floor(Date.now() / HOUR) + 1) * HOUR);
    // Null while the worker's own scheduled run holds the lock.
    let summary = await job.run(ended);
    for (let i = 0; i < 50 && summary === null; i++) {
      await new Promise((r) => setTimeout(r, 200));
      summary = await job.run(ended);
    }
    expect(summary?.rows).toBeGreaterThan(0);
  }

  async function scrapes(): Promise<{ api: Exposition; worker: Exposition }> {
    const api = await metrics.get<string>('/metrics');
    expect(api.status).toBe(200);
    const fromWorker = await fetch(workerUrl);
    expect(fromWorker.status).toBe(200);
    return { api: parsePrometheusText(api.body), worker: parsePrometheusText(await fromWorker.text()) };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'grafana-dashboard-'));
    // The gauges keep a window for three job intervals: long enough for this file.
    t = await startTestApp({
      APP_ROLE: 'api',
      INFERENCE_LOG_FLUSH_MS: '100',
      MONITORING_WINDOW_INTERVAL_MS: '600000',
      INFERENCE_SHADOW: 'credit',
      MONITORING_REALISED_MIN_LABELLED: '5',
    });
    const admin = new Http(t.baseUrl, await tokenFor(t, 'admin'));
    consumer = new Http(t.baseUrl, await tokenFor(t, 'consumer'));
    const created = await admin.post('/api-tokens', { name: 'prometheus', scopes: ['metrics:read'] });
    expect(created.status).toBe(201);
    metricsToken = created.body.token;
    metrics = new Http(t.baseUrl, metricsToken);

    const data = creditData(900);
    const training = { ...data, records: data.records.slice(0, 600) };
    expect(await registerBundle(t.app, 'credit', await trainCreditBundle(training, 1))).toBe(1);
    expect(await registerBundle(t.app, 'credit', await trainCreditBundle(training, 2))).toBe(2);
    await moveAlias(t.app, 'credit', 'production', 1);
    await moveAlias(t.app, 'credit', 'shadow', 2);
    records = data.records.slice(600).map(featuresOf);
    statuses = data.records.slice(600).map((r) => r.Status);

    await importCsv(t, 'animals', 'test/fixtures/training/two-classes.csv', 'outcome');
    const port = await freePort();
    workerUrl = `http://127.0.0.1:${port}/metrics`;
    worker = await startWorkerProcess(t, {
      WORKER_METRICS_PORT: String(port),
      WORKER_METRICS_HOST: '127.0.0.1',
      // Its scheduled realised run (windows ended by now) would only contend for the lock with this file's.
      MONITORING_REALISED_INTERVAL_MS: '3600000',
    });
    expect((await trainBriefly(new Http(t.baseUrl, await tokenFor(t, 'scientist')), 'animals')).state).toBe(
      'succeeded',
    );

    // The window job reads the minutes that ended: this traffic's buckets are moved two minutes back.
    await traffic();
    expect(await t.app.get(BucketRecorder).flush(true)).toBe(true);
    await t.app.get(DataSource).query(`UPDATE monitoring.buckets SET minute = minute - interval '2 minutes'`);
    expect(await t.app.get(WindowJob).run(new Date())).toMatchObject({ versions: 2, failed: [] });
    await labelledTraffic();
  });
  afterAll(async () => {
    await prometheus?.stop();
    if (worker) await killHard(worker);
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // A model trained here, a ts-node worker boot, a training job and Prometheus on a busy 2-core machine.
  jest.setTimeout(240_000);

  it('reads every expression of the dashboard, each panel on the provisioned data source', () => {
    expect(EXPRESSIONS.length).toBeGreaterThan(20);
    for (const { expr } of EXPRESSIONS) expect(metricNames(expr).length).toBeGreaterThan(0);
    const provisioned = load(readFileSync(join(REPO_ROOT, DATASOURCES), 'utf8')) as { datasources: { uid: string }[] };
    const uids = new Set(
      allPanels(dashboard.panels).flatMap((p) => [
        p.datasource?.uid,
        ...(p.targets ?? []).map((x) => x.datasource?.uid),
      ]),
    );
    uids.delete(undefined);
    expect([...uids]).toEqual([provisioned.datasources[0].uid]);
  });

  it('uses only metric names the api (metrics:read token) or the worker serve, with samples', async () => {
    const { api, worker: fromWorker } = await scrapes();
    const missing = EXPRESSIONS.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => api.samples(name).length === 0 && fromWorker.samples(name).length === 0)
        .map((name) => `${name} (${where})`),
    );
    expect(missing).toEqual([]);
  });

  it('ships a prometheus.yml that promtool accepts, and compose pins the Prometheus of that promtool', () => {
    const promtool = prometheusBinary('promtool');
    const version = /version (\d+\.\d+\.\d+)/.exec(
      spawnSync(promtool, ['--version'], { encoding: 'utf8' }).stdout,
    )?.[1];
    const compose = load(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), {
      schema: CORE_SCHEMA.withTags(mergeTag),
    }) as { services: Record<string, { image: string; profiles?: string[] }> };
    const monitoring = Object.entries(compose.services).filter(([, s]) => s.profiles?.includes('monitoring'));
    expect(Object.fromEntries(monitoring.map(([name, s]) => [name, s.image]))).toEqual({
      prometheus: `prom/prometheus:v${version}`,
      grafana: expect.stringMatching(/^grafana\/grafana:\d+\.\d+\.\d+$/),
    });
    const syntax = spawnSync(promtool, ['check', 'config', '--syntax-only', join(REPO_ROOT, PROMETHEUS_YML)], {
      encoding: 'utf8',
    });
    expect({ status: syntax.status, out: syntax.stdout + syntax.stderr }).toMatchObject({ status: 0 });
    // The whole check (it also opens the token file) on the jobs as this test runs them.
    const tokenFile = join(dir, 'ml-api-token');
    writeFileSync(tokenFile, `${metricsToken}\n`);
    const local = join(dir, 'checked.yml');
    writeFileSync(local, localConfig(readFileSync(join(REPO_ROOT, PROMETHEUS_YML), 'utf8'), targets(), tokenFile));
    const full = spawnSync(promtool, ['check', 'config', local], { encoding: 'utf8' });
    expect({ status: full.status, out: full.stdout + full.stderr }).toMatchObject({ status: 0 });
  });

  const targets = () => ({ 'ml-api': new URL(t.baseUrl).host, 'ml-worker': new URL(workerUrl).host });

  /** The dashboard's expressions (and the model picker's values) for which Prometheus has no data. */
  async function emptyExpressions(server: PrometheusServer): Promise<string[]> {
    const empty: string[] = [];
    for (const { where, expr } of EXPRESSIONS) {
      const variable = /^label_values\((.+), (\w+)\)$/.exec(expr);
      if (variable) {
        const values = await fetch(`${server.url}/api/v1/label/${variable[2]}/values?match[]=${variable[1]}`);
        const body = (await values.json()) as { data: string[] };
        if (!body.data.includes('credit')) empty.push(`${where}: ${expr} -> ${JSON.stringify(body.data)}`);
      } else if ((await server.query(asQueried(expr))).length === 0) empty.push(`${where}: ${asQueried(expr)}`);
    }
    return empty;
  }

  it('has a real Prometheus scrape both with the shipped jobs and every expression return data', async () => {
    const tokenFile = join(dir, 'ml-api-token');
    writeFileSync(tokenFile, `${metricsToken}\n`);
    const config = localConfig(readFileSync(join(REPO_ROOT, PROMETHEUS_YML), 'utf8'), targets(), tokenFile);
    prometheus = await startPrometheus(config, join(dir, 'prometheus'));
    // Traffic while Prometheus scrapes, until both targets are up and every expression has data (a
    // rate needs two scrapes of its target, and Prometheus hands its first targets to the scrapers
    // some 5 s after the start, each target on its own schedule), at most a minute.
    let up: Awaited<ReturnType<typeof prometheus.targets>> = [];
    let empty: string[] = [];
    for (let round = 0; round < 120; round++) {
      await traffic();
      await new Promise((r) => setTimeout(r, 500));
      up = await prometheus.targets();
      if (up.length !== 2 || !up.every((x) => x.health === 'up')) continue;
      empty = await emptyExpressions(prometheus);
      if (!empty.length) break;
    }
    expect(up.map((x) => x.health)).toEqual(['up', 'up']);
    expect(empty).toEqual([]);
  });
});
