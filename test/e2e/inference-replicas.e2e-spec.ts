import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { createHttpApp } from '../../src/bootstrap/create-app';
import { ModelCache } from '../../src/inference/model-cache.service';
import { trainModel } from '../../src/ml/trainer';
import { inferSchema, markQuoted, parseCell, type CellValue, type SampleCell } from '../../src/ml/schema';
import { AliasService } from '../../src/registry/alias.service';
import { ModelRegistryService } from '../../src/registry/model-registry.service';
import { TrackingService } from '../../src/registry/tracking.service';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

const NA = new Set(['', 'NA']);

/** Two replicas of the real app on one database and one Redis prefix (as behind a load balancer). */
describe('inference across replicas', () => {
  let t: TestApp;
  let replica: NestFastifyApplication;
  let a: Http;
  let b: Http;
  let features: Record<string, CellValue>;

  async function register(bundle: Buffer): Promise<number> {
    const tracking = t.app.get(TrackingService);
    const run = await tracking.startRun({ experimentName: 'replicas-e2e', startedBy: 'user:e2e' });
    await tracking.putArtifact(run.id, 'model/bundle.json', bundle, 'application/json');
    await tracking.endRun(run.id, 'finished');
    return (await t.app.get(ModelRegistryService).registerVersion('credit', { runId: run.id }, 'user:e2e')).version;
  }
  const move = (version: number) =>
    t.app.get(AliasService).move('credit', 'production', { version, reason: 'e2e', force: true }, { id: 'user:e2e', isAdmin: true });

  beforeAll(async () => {
    // The log is flushed only when a batch fills or at shutdown, so shutdown is what writes it.
    t = await startTestApp({ INFERENCE_LOG_FLUSH_MS: '600000' });
    replica = await createHttpApp({ config: t.config });
    await replica.listen({ port: 0, host: '127.0.0.1' });
    const token = await tokenFor(t, 'consumer');
    a = new Http(t.baseUrl, token);
    b = new Http(`http://127.0.0.1:${(replica.getHttpServer().address() as { port: number }).port}`, token);

    const cells = parse(readFileSync(join(__dirname, '../../data/credit_data.csv'), 'utf8'), { cast: markQuoted }) as SampleCell[][];
    const headers = cells[0].map((h) => (typeof h === 'object' && h !== null ? h.text : String(h)));
    const schema = inferSchema(headers, cells.slice(1, 301), NA);
    const records = cells.slice(1, 301).map((row) =>
      Object.fromEntries(
        schema.columns.map((col, j) => {
          const cell = row[j] ?? null;
          const r = parseCell(typeof cell === 'object' && cell !== null ? cell.text : cell, col, NA);
          return [col.name, r.ok ? r.value : null];
        }),
      ),
    );
    for (const seed of [1, 2]) {
      const trained = await trainModel({ records, schema, target: 'Status', task: 'binary', family: 'logistic', positiveClass: 'good', seed, hyperparameters: { epochs: 3 } });
      trained.predictor.dispose();
      await register(trained.bundle);
    }
    await move(1);
    features = Object.fromEntries(Object.entries(records[0]).filter(([k]) => k !== 'Status'));
  });
  afterAll(async () => {
    await replica?.close();
    await t?.close();
  });

  it('a replica that starts loads every aliased version before its first request', async () => {
    const late = await createHttpApp({ config: t.config });
    try {
      expect(late.get(ModelCache).cachedVersions()).toEqual(['credit@1']);
    } finally {
      await late.close();
    }
  });

  it('an alias moved on one replica is followed by the other within a second', async () => {
    expect((await a.post('/models/credit/predict', { features })).body.version).toBe(1);
    expect((await b.post('/models/credit/predict', { features })).body.version).toBe(1);
    await move(2);
    const movedAt = Date.now();
    let seen = 1;
    while (seen !== 2 && Date.now() - movedAt < 1000) seen = (await b.post('/models/credit/predict', { features })).body.version;
    expect(seen).toBe(2);
  });

  it('flushes the prediction log on shutdown', async () => {
    const res = await b.post('/models/credit/predict', { instances: [features, features, features] });
    expect(res.status).toBe(200);
    const ids = res.body.predictions.map((p: { predictionId: string }) => p.predictionId);
    const ds = t.app.get(DataSource);
    const count = async () => (await ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM inference.predictions WHERE id = ANY($1::uuid[])', [ids]))[0].n;
    expect(await count()).toBe(0);
    await replica.close();
    expect(await count()).toBe(3);
  });
});
