import { RetrainScheduler } from '../../src/training/retrain.scheduler';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';
import { importCsv, waitForJob } from '../support/training';

// two-classes.csv: age (integer, 60 values), home (rent/own), flag (integer 0/1, 30 each),
// outcome (bad 20, good 40: its default positive class is bad).
describe('training defaults: the task inferred, the positive class recorded (issue #19)', () => {
  let t: TestApp;
  let scientist: Http;
  let seed = 500;

  const train = async (body: Record<string, unknown>) => {
    const res = await scientist.post('/training-jobs', {
      dataset: 'two',
      seed: seed++,
      hyperparameters: { epochs: 2 },
      ...body,
    });
    expect(res.status).toBe(202);
    const job = await waitForJob(scientist, res.body.id);
    expect([job.state, job.error]).toEqual(['succeeded', null]);
    return { submitted: res.body, job };
  };

  beforeAll(async () => {
    t = await startTestApp();
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    await importCsv(t, 'two', 'test/fixtures/training/two-classes.csv', 'outcome');
  });
  afterAll(() => t.close());

  it('trains a two-class target without `task` as binary, its positive class the rarer one, in job, run and version', async () => {
    const { submitted, job } = await train({ model: 'two' });
    expect(submitted.recipe).toMatchObject({ target: 'outcome', task: 'binary', positiveClass: 'bad' });
    expect(job.recipe).toMatchObject({ task: 'binary', positiveClass: 'bad' });
    expect(job.result.evaluation).toMatchObject({ task: 'binary', positiveClass: 'bad' });

    const run = (await scientist.get(`/runs/${job.runId}`)).body;
    expect(run.params).toMatchObject({ task: 'binary', positiveClass: 'bad' });
    expect(JSON.parse(run.tags.evaluation)).toMatchObject({ positiveClass: 'bad', f1: expect.any(Number) });
    expect(JSON.parse(run.tags.recipe)).toMatchObject({ task: 'binary', positiveClass: 'bad' });

    const version = (await scientist.get(`/models/two/versions/${job.modelVersion}`)).body;
    expect(version).toMatchObject({ task: 'binary', positiveClass: 'bad' });
    const listed = (await scientist.get('/models/two/versions')).body;
    expect(listed.find((v: { version: number }) => v.version === job.modelVersion)).toMatchObject({
      task: 'binary',
      positiveClass: 'bad',
    });
  });

  it('records an asked positive class in the recipe, the run and the version', async () => {
    const { job } = await train({ model: 'two', task: 'binary', positiveClass: 'good' });
    expect(job.recipe).toMatchObject({ task: 'binary', positiveClass: 'good' });
    expect((await scientist.get(`/runs/${job.runId}`)).body.params).toMatchObject({ positiveClass: 'good' });
    expect((await scientist.get(`/models/two/versions/${job.modelVersion}`)).body).toMatchObject({
      task: 'binary',
      positiveClass: 'good',
    });
  });

  it('trains an integer target with many values as regression, with no positive class', async () => {
    const { job } = await train({ target: 'age', model: 'two-age' });
    expect(job.recipe.task).toBe('regression');
    expect(job.recipe).not.toHaveProperty('positiveClass');
    expect(job.result.metrics.rmse).toEqual(expect.any(Number));
    const run = (await scientist.get(`/runs/${job.runId}`)).body;
    expect(run.params.task).toBe('regression');
    expect(run.params).not.toHaveProperty('positiveClass');
    expect((await scientist.get(`/models/two-age/versions/${job.modelVersion}`)).body).toMatchObject({
      task: 'regression',
      positiveClass: null,
    });
  });

  it('infers binary for an integer 0/1 target (a tie: the last class is positive), and refuses what the task cannot take', async () => {
    const flag = await scientist.post('/training-jobs', { dataset: 'two', target: 'flag', model: '', seed: seed++ });
    expect(flag.status).toBe(202);
    expect(flag.body.recipe).toMatchObject({ task: 'binary', positiveClass: '1' });
    expect((await scientist.delete(`/training-jobs/${flag.body.id}`)).status).toBe(200);

    const positive = await scientist.post('/training-jobs', { dataset: 'two', target: 'age', positiveClass: '20' });
    expect(positive.status).toBe(422);
    expect(positive.body.details).toEqual([
      expect.objectContaining({
        field: 'positiveClass',
        message:
          'applies to task "binary" only; age has more than 2 values (an integer column), so the task is "regression" (inferred)',
      }),
    ]);
    const regression = await scientist.post('/training-jobs', { dataset: 'two', task: 'regression', target: 'home' });
    expect(regression.status).toBe(422);
    expect(regression.body.details[0]).toMatchObject({
      field: 'task',
      message: 'home is a category column: its task can be "binary" or "multiclass"',
    });
  });

  it('retrains with the recorded task and positive class', async () => {
    const { job } = await train({ model: 'two-retrain', promoteTo: 'production' });
    expect(job.result.promotions.production).toEqual({ moved: true, reasons: [] });
    const retrained = await scientist.get(`/training-jobs/${await t.app.get(RetrainScheduler).retrain('two-retrain')}`);
    expect(retrained.body.recipe).toMatchObject({ task: 'binary', positiveClass: 'bad', seed: job.recipe.seed });
    await waitForJob(scientist, retrained.body.id);
  });

  describe('a model whose alias was never moved (predicting without a version)', () => {
    const features = { age: 30, home: 'rent', flag: 1 };
    const v2Body = {
      inputs: [
        { name: 'age', datatype: 'INT64', shape: [1], data: [30] },
        { name: 'home', datatype: 'BYTES', shape: [1], data: ['rent'] },
        { name: 'flag', datatype: 'INT64', shape: [1], data: [1] },
      ],
    };
    // Trained with an explicit task, as before issue #19: what is checked here is only the 404.
    beforeAll(async () => {
      for (let i = 0; i < 2; i++) await train({ model: 'pima', task: 'binary' });
      const listed = (await scientist.get('/models/pima/versions')).body as { version: number; aliases: string[] }[];
      expect([listed.map((v) => v.version), listed.flatMap((v) => v.aliases)]).toEqual([[2, 1], []]);
    });

    it('answers 404 listing its versions and how to call one or move the alias, in every protocol', async () => {
      const hint =
        'Alias production of model pima not found. Its versions: 2, 1. Call one with ?version=2, or move the alias ' +
        'to one: PUT /models/pima/aliases/production with {"version": 2, "reason": "…"} (through the quality gate).';
      const answers = [
        await scientist.post('/models/pima/predict', { features }),
        await scientist.post('/models/pima/invocations', { instances: [features] }),
        await scientist.post('/v2/models/pima/infer', v2Body),
        await scientist.get('/models/pima/schema'),
        await scientist.get('/v2/models/pima/ready'),
      ];
      for (const res of answers) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({
          code: 'registry.alias_not_found',
          message: hint,
          details: [expect.objectContaining({ field: 'alias', versions: [2, 1], total: 2 })],
        });
      }
      const staging = await scientist.post('/models/pima/predict?alias=staging', { features });
      expect(staging.body.message).toMatch(/^Alias staging of model pima not found\. Its versions: 2, 1\./);
    });

    it('answers the version the hint names, in every protocol', async () => {
      const predicted = await scientist.post('/models/pima/predict?version=2', { features });
      expect(predicted.status).toBe(200);
      expect(predicted.body.version).toBe(2);
      expect((await scientist.post('/models/pima/invocations?version=2', { instances: [features] })).status).toBe(200);
      expect((await scientist.post('/v2/models/pima/infer?version=2', v2Body)).body.model_version).toBe('2');
    });

    it('says so when the model has no versions, and how to train one', async () => {
      const { job } = await train({ model: 'gone', task: 'binary', hyperparameters: { epochs: 1 } });
      expect((await scientist.delete(`/models/gone/versions/${job.modelVersion}`)).status).toBe(204);
      const res = await scientist.post('/models/gone/predict', { features });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('registry.alias_not_found');
      expect(res.body.message).toMatch(
        /^Alias production of model gone not found, and the model has no versions: train one/,
      );
      expect(res.body.message).toContain('POST /training-jobs with "model": "gone"');
      expect(res.body.details).toEqual([expect.objectContaining({ versions: [], total: 0 })]);
    });
  });
});
