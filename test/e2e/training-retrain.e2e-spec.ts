import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DatasetsService } from '../../src/data/datasets.service';
import { CsvImportService } from '../../src/data/import/csv-import.service';
import { RetrainScheduler } from '../../src/training/retrain.scheduler';
import { TRAINING_QUEUE } from '../../src/training/queue/training.jobs';
import { tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';
import { importCsv, waitForJob } from '../support/training';

describe('scheduled retraining', () => {
  let t: TestApp;
  let scientist: Http;

  beforeAll(async () => {
    t = await startTestApp({ RETRAIN_SCHEDULES: 'credit=0 3 * * *' });
    scientist = new Http(t.baseUrl, await tokenFor(t, 'scientist'));
    await importCsv(t, 'credit', 'data/credit_data.csv', 'Status');
  });
  afterAll(() => t.close());

  it('registers the schedule as one repeatable Bull job', async () => {
    const queue = t.app.get<Queue>(getQueueToken(TRAINING_QUEUE));
    const repeatable = await queue.getRepeatableJobs();
    expect(repeatable.map((r) => [r.name, r.id, r.cron])).toEqual([['retrain', 'credit', '0 3 * * *']]);
  });

  it('does nothing while the model has no production version', async () => {
    expect(await t.app.get(RetrainScheduler).retrain('credit')).toBeNull();
  });

  it('retrains the production recipe on the newest data version as challenger, leaving production alone', async () => {
    const first = await scientist.post('/training-jobs', {
      dataset: 'credit',
      task: 'binary',
      positiveClass: 'bad',
      seed: 5,
      hyperparameters: { epochs: 20 },
      promoteTo: 'production',
    });
    const v1 = await waitForJob(scientist, first.body.id);
    expect(v1.modelVersion).toBe(1);

    // New data arrives: the same file without its last 200 rows is a new version.
    const lines = readFileSync(join(__dirname, '../../data/credit_data.csv'), 'utf8').trimEnd().split('\n');
    const ds = await t.app.get(DatasetsService).find('credit');
    const imported = await t.app.get(CsvImportService).run({
      datasetId: ds.id,
      source: Readable.from([Buffer.from(`${lines.slice(0, -200).join('\n')}\n`)]),
      createdBy: 'test',
    });
    expect(imported.number).toBe(2);

    const jobId = await t.app.get(RetrainScheduler).retrain('credit');
    const job = await waitForJob(scientist, jobId as string);
    expect(job.state).toBe('succeeded');
    expect(job.datasetVersion).toBe(2);
    expect(job.recipe).toEqual(v1.recipe); // the production version's recipe, replayed exactly
    expect(job.modelVersion).toBe(2);
    expect(Object.keys(job.result.promotions)).toEqual(['challenger']);
    expect((await scientist.get('/models/credit/aliases/challenger')).body.version.version).toBe(2);
    expect((await scientist.get('/models/credit/aliases/production')).body.version.version).toBe(1);
  });
});
