import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config';
import { ModelCache } from '../../src/inference/serving/model-cache.service';
import type { CellValue } from '../../src/ml/schema';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { replicaApp } from '../support/replica';

/** Two replicas of the real app on one database and one Redis prefix (as behind a load balancer). */
describe('inference across replicas', () => {
  let t: TestApp;
  let replica: NestFastifyApplication;
  let a: Http;
  let b: Http;
  let features: Record<string, CellValue>;
  let token: string;

  const move = (version: number) => moveAlias(t.app, 'credit', 'production', version);

  beforeAll(async () => {
    // The log is flushed only when a batch fills or at shutdown, so shutdown is what writes it.
    t = await startTestApp({ INFERENCE_LOG_FLUSH_MS: '600000' });
    replica = await replicaApp(t.config);
    await replica.listen({ port: 0, host: '127.0.0.1' });
    token = await tokenFor(t, 'consumer');
    a = new Http(t.baseUrl, token);
    b = new Http(`http://127.0.0.1:${(replica.getHttpServer().address() as { port: number }).port}`, token);

    const data = creditData(300);
    for (const seed of [1, 2])
      await registerBundle(t.app, 'credit', await trainCreditBundle(data, seed, 3, 'logistic'));
    await move(1);
    features = featuresOf(data.records[0]);
  });
  afterAll(async () => {
    await replica?.close();
    await t?.close();
  });

  it('a replica that starts loads every aliased version before its first request', async () => {
    const late = await replicaApp(t.config);
    try {
      expect(late.get(ModelCache).cachedVersions()).toEqual(['credit@1']);
    } finally {
      await late.close();
    }
  });

  it('a replica with room for one version swaps the least recently used out and keeps answering', async () => {
    const small = await replicaApp(new AppConfig({ ...t.config.env, INFERENCE_CACHE_SIZE: 1 }));
    try {
      await small.listen({ port: 0, host: '127.0.0.1' });
      const c = new Http(`http://127.0.0.1:${(small.getHttpServer().address() as { port: number }).port}`, token);
      const cache = small.get(ModelCache);
      for (const version of [1, 2, 1, 2]) {
        const res = await c.post(`/models/credit/predict?version=${version}`, { features });
        expect(res.status).toBe(200);
        expect(res.body.version).toBe(version);
        expect(cache.cachedVersions()).toEqual([`credit@${version}`]);
      }
    } finally {
      await small.close();
    }
  });

  it('an alias moved on one replica is followed by the other within a second', async () => {
    expect((await a.post('/models/credit/predict', { features })).body.version).toBe(1);
    expect((await b.post('/models/credit/predict', { features })).body.version).toBe(1);
    await move(2);
    const movedAt = Date.now();
    let seen = 1;
    while (seen !== 2 && Date.now() - movedAt < 1000)
      seen = (await b.post('/models/credit/predict', { features })).body.version;
    expect(seen).toBe(2);
  });

  it('flushes the prediction log on shutdown', async () => {
    const res = await b.post('/models/credit/predict', { instances: [features, features, features] });
    expect(res.status).toBe(200);
    const ids = res.body.predictions.map((p: { predictionId: string }) => p.predictionId);
    const ds = t.app.get(DataSource);
    const count = async () =>
      (
        await ds.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM inference.predictions WHERE id = ANY($1::uuid[])',
          [ids],
        )
      )[0].n;
    expect(await count()).toBe(0);
    await replica.close();
    expect(await count()).toBe(3);
  });
});
