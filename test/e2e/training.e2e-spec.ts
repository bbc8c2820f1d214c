import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';
import { importCsv, waitForJob as waitFor } from '../support/training';

describe('training and registry (real app, PostgreSQL, Redis, Bull)', () => {
  let t: TestApp;
  let scientist: Http;

  beforeAll(async () => {
    t = await startTestApp();
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    await importCsv(t, 'credit', 'data/credit_data.csv', 'Status');
    await importCsv(t, 'constant', 'test/fixtures/training/one-class.csv', 'label');
  });
  afterAll(() => t.close());

  it('trains credit_data in the background, records the run, registers and promotes the version', async () => {
    const res = await scientist.post('/training-jobs', {
      dataset: 'credit',
      task: 'binary',
      positiveClass: 'bad',
      promoteTo: 'production',
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ state: 'queued', datasetVersion: 1, model: 'credit' });
    const job = await waitFor(scientist, res.body.id);
    expect(job.error).toBeNull();
    expect(job.state).toBe('succeeded');
    expect(job.progress.epoch).toBeGreaterThan(0);
    expect(job.modelVersion).toBe(1);
    expect(job.result.promotions.production).toEqual({ moved: true, reasons: [] });

    const run = await scientist.get(`/runs/${job.runId}`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      status: 'finished',
      experimentName: 'credit',
      params: expect.objectContaining({ family: 'mlp', seed: '42' }),
    });
    expect(run.body.metrics.roc_auc).toBeGreaterThan(0.8);
    // The calibration map fitted on the validation split, with its ECE before and after.
    expect(job.result.calibration.method).toBe('platt');
    expect(run.body.metrics.calibration_ece_val_after).toBeLessThanOrEqual(run.body.metrics.calibration_ece_val_before);
    expect(run.body.metrics.calibration_ece_test_before).toBeGreaterThan(0);
    expect(run.body.backend).toMatch(/wasm|cpu|tensorflow/);

    const alias = await scientist.get('/models/credit/aliases/production');
    expect(alias.status).toBe(200);
    expect(alias.body.version.version).toBe(1);
  });

  it('collapses an identical request while it is queued or running', async () => {
    const body = {
      dataset: 'credit',
      task: 'binary',
      positiveClass: 'bad',
      seed: 7,
      model: '',
      hyperparameters: { epochs: 2 },
    };
    const [a, b] = await Promise.all([scientist.post('/training-jobs', body), scientist.post('/training-jobs', body)]);
    expect(a.body.id).toBe(b.body.id);
    const job = await waitFor(scientist, a.body.id);
    expect(job.state).toBe('succeeded');
    expect(job.modelVersion).toBeNull(); // model "" = run only
  });

  it('lets the gate refuse a clearly worse version', async () => {
    const weak = await scientist.post('/training-jobs', {
      dataset: 'credit',
      task: 'binary',
      positiveClass: 'bad',
      family: 'logistic',
      seed: 3,
      features: ['Seniority'],
      hyperparameters: { epochs: 1, learningRate: 0.00001 },
    });
    const job = await waitFor(scientist, weak.body.id);
    expect(job.state).toBe('succeeded');
    const move = await scientist.request<any>('PUT', '/models/credit/aliases/production', {
      version: job.modelVersion,
      reason: 'try the weak one',
    });
    expect(move.status).toBe(422);
    expect(move.body.message).toMatch(/gate/i);
    expect((await scientist.get('/models/credit/aliases/production')).body.version.version).toBe(1);
  });

  describe('bad requests', () => {
    it('404s an unknown dataset or version', async () => {
      expect((await scientist.post('/training-jobs', { dataset: 'nope', task: 'binary' })).status).toBe(404);
      expect((await scientist.post('/training-jobs', { dataset: 'credit', version: 9, task: 'binary' })).status).toBe(
        404,
      );
    });

    it('422s an unknown column, naming the field', async () => {
      const res = await scientist.post('/training-jobs', { dataset: 'credit', target: 'Nope', task: 'binary' });
      expect(res.status).toBe(422);
      expect(res.body.details[0]).toMatchObject({ field: 'target', message: expect.stringContaining('Nope') });
      const features = await scientist.post('/training-jobs', {
        dataset: 'credit',
        task: 'binary',
        features: ['Income', 'Ghost'],
      });
      expect(features.body.details[0]).toMatchObject({ field: 'features', message: expect.stringContaining('Ghost') });
    });

    it('422s a target with one class', async () => {
      const res = await scientist.post('/training-jobs', { dataset: 'constant', task: 'binary' });
      expect(res.status).toBe(422);
      expect(res.body.details[0]).toMatchObject({ field: 'target', message: expect.stringContaining('1 class') });
    });

    it('422s impossible hyperparameters, naming each', async () => {
      const epochs = await scientist.post('/training-jobs', {
        dataset: 'credit',
        task: 'binary',
        hyperparameters: { epochs: 0 },
      });
      expect(epochs.status).toBe(422);
      expect(epochs.body.details[0].field).toBe('hyperparameters.epochs');
      const lr = await scientist.post('/training-jobs', {
        dataset: 'credit',
        task: 'binary',
        hyperparameters: { learningRate: -1 },
      });
      expect(lr.body.details[0].field).toBe('hyperparameters.learningRate');
      const unknown = await scientist.post('/training-jobs', {
        dataset: 'credit',
        task: 'binary',
        hyperparameters: { warp: 9 },
      });
      expect(unknown.body.details[0].field).toBe('hyperparameters.warp');
      const family = await scientist.post('/training-jobs', { dataset: 'credit', task: 'binary', family: 'forest' });
      expect(family.body.details[0].field).toBe('family');
    });

    it('keeps consumers out', async () => {
      const consumer = new Http(t.baseUrl, await tokenFor(t, 'consumer'));
      expect((await consumer.post('/training-jobs', { dataset: 'credit', task: 'binary' })).status).toBe(403);
    });
  });

  it('cancels a queued or running job, and refuses to cancel a finished one', async () => {
    const res = await scientist.post('/training-jobs', {
      dataset: 'credit',
      task: 'binary',
      seed: 11,
      model: '',
      hyperparameters: { epochs: 300, patience: 300 },
    });
    const cancelled = await scientist.delete(`/training-jobs/${res.body.id}`);
    expect(cancelled.status).toBe(200);
    const job = await waitFor(scientist, res.body.id);
    expect(job.state).toBe('cancelled');
    expect((await scientist.delete(`/training-jobs/${res.body.id}`)).status).toBe(409);
  });

  it('stops a running job after its current epoch', async () => {
    const res = await scientist.post('/training-jobs', {
      dataset: 'credit',
      task: 'binary',
      seed: 12,
      model: '',
      hyperparameters: { epochs: 300, patience: 300 },
    });
    await waitFor(scientist, res.body.id, (j) => j.progress?.epoch >= 1);
    expect((await scientist.delete(`/training-jobs/${res.body.id}`)).status).toBe(200);
    const job = await waitFor(scientist, res.body.id);
    expect(job.state).toBe('cancelled');
    expect(job.progress.epoch).toBeLessThan(300);
    expect((await scientist.get(`/runs/${job.runId}`)).body.status).toBe('finished');
  });
});
