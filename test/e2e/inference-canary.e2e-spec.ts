import { DataSource } from 'typeorm';
import { PredictionLog } from '../../src/inference/prediction-log/prediction-log.service';
import type { CellValue } from '../../src/ml/schema';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

/** Canary (INFERENCE_CANARY) and shadow (INFERENCE_SHADOW) traffic on the real app. */
describe('inference canary and shadow', () => {
  let t: TestApp;
  let consumer: Http;
  let features: Record<string, CellValue>;
  const ids: string[] = [];

  const predict = async () => {
    const res = await consumer.post('/models/credit/predict', { features });
    expect(res.status).toBe(200);
    ids.push(res.body.predictions[0].predictionId);
    return res.body as {
      version: number;
      alias: string;
      predictions: { predictionId: string; probabilities: Record<string, number> }[];
    };
  };
  const logRows = async () => {
    await t.app.get(PredictionLog).flush();
    return t.app
      .get(DataSource)
      .query<{ alias: string; version: number; n: number }[]>(
        'SELECT alias, version, count(*)::int AS n FROM inference.predictions WHERE model = $1 GROUP BY alias, version ORDER BY alias',
        ['credit'],
      );
  };

  beforeAll(async () => {
    t = await startTestApp({
      INFERENCE_CANARY: 'credit=0.5',
      INFERENCE_SHADOW: 'credit',
      INFERENCE_LOG_FLUSH_MS: '100',
      INFERENCE_ALIAS_TTL_MS: '600000',
    });
    consumer = new Http(t.baseUrl).as(await tokenFor(t, 'consumer'));
    const data = creditData(400);
    await registerBundle(t.app, 'credit', await trainCreditBundle(data, 1, 2));
    await registerBundle(t.app, 'credit', await trainCreditBundle(data, 2, 2));
    await registerBundle(t.app, 'credit', await trainCreditBundle(data, 3, 2));
    await moveAlias(t.app, 'credit', 'production', 1);
    features = featuresOf(data.records[0]);
  });
  afterAll(() => t.close());

  it('answers everything with production while no canary or shadow alias exists', async () => {
    for (let i = 0; i < 20; i++) expect(await predict()).toMatchObject({ version: 1, alias: 'production' });
    await new Promise((r) => setTimeout(r, 50));
    expect(await logRows()).toEqual([{ alias: 'production', version: 1, n: 20 }]);
  });

  it('splits production traffic with the canary alias at the configured share, and logs who answered', async () => {
    await moveAlias(t.app, 'credit', 'canary', 2);
    // The alias-moved event reaches this replica over Redis: wait for the first canary answer.
    const deadline = Date.now() + 5000;
    while ((await predict()).alias !== 'canary' && Date.now() < deadline);
    const before = await logRows();
    const answers = [];
    for (let i = 0; i < 200; i++) answers.push(await predict());
    const canary = answers.filter((a) => a.alias === 'canary');
    expect(canary.every((a) => a.version === 2)).toBe(true);
    expect(answers.filter((a) => a.alias === 'production').every((a) => a.version === 1)).toBe(true);
    // Binomial(200, 0.5): mean 100, sd ≈ 7.1; [60, 140] is ±5.6 sd (a false failure ~1e-8).
    expect(canary.length).toBeGreaterThanOrEqual(60);
    expect(canary.length).toBeLessThanOrEqual(140);
    const after = await logRows();
    const count = (rows: { alias: string; n: number }[], alias: string) => rows.find((r) => r.alias === alias)?.n ?? 0;
    expect(count(after, 'canary') - count(before, 'canary')).toBe(canary.length);
    expect(count(after, 'production') - count(before, 'production')).toBe(200 - canary.length);
    // Asking for a version or another alias is never redirected (production, named or implied, is).
    for (let i = 0; i < 10; i++)
      expect((await consumer.post('/models/credit/predict?version=1', { features })).body).toMatchObject({
        version: 1,
        alias: null,
      });
  });

  it('scores every request with the shadow alias off the response path: logged as shadow, answers unchanged', async () => {
    await moveAlias(t.app, 'credit', 'canary', 1); // canary = production: every answer is v1's
    await moveAlias(t.app, 'credit', 'shadow', 3);
    const expected = (await consumer.post('/models/credit/predict?version=1', { features })).body.predictions[0]
      .probabilities;
    await new Promise((r) => setTimeout(r, 300)); // both alias events delivered
    const shadowBefore = (await logRows()).find((r) => r.alias === 'shadow')?.n ?? 0;
    const answers = [];
    for (let i = 0; i < 50; i++) answers.push(await predict());
    for (const a of answers) {
      expect(a.version).toBe(1);
      expect(a.alias).not.toBe('shadow');
      expect(a.predictions[0].probabilities).toEqual(expected);
    }
    const deadline = Date.now() + 5000;
    let shadow = 0;
    while (Date.now() < deadline) {
      const rows = await logRows();
      shadow = (rows.find((r) => r.alias === 'shadow')?.n ?? 0) - shadowBefore;
      if (shadow >= 50) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(shadow).toBe(50);
    expect((await logRows()).find((r) => r.alias === 'shadow')?.version).toBe(3);
  });
});
