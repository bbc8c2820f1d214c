import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { DatasetsService } from '../../src/data/datasets.service';
import { CsvImportService } from '../../src/data/import/csv-import.service';
import type { Http } from './http';
import type { TestApp } from './test-app';

const ROOT = join(__dirname, '../..');

/** Creates a dataset and imports a file of the repository into it (through the data services). */
export async function importCsv(t: TestApp, name: string, file: string, target: string) {
  const ds = await t.app.get(DatasetsService).create({ name, target, createdBy: 'test' });
  return t.app
    .get(CsvImportService)
    .run({ datasetId: ds.id, source: createReadStream(join(ROOT, file)), createdBy: 'test' });
}

/** Polls a training job until it ends (or `until` says stop); returns its last state. */
export async function waitForJob(
  http: Http,
  id: string,
  until: (job: any) => boolean = (j) => ['succeeded', 'failed', 'cancelled'].includes(j.state),
) {
  for (let i = 0; i < 1200; i++) {
    const res = await http.get(`/training-jobs/${id}`);
    if (until(res.body)) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`training job ${id} did not reach the expected state`);
}

/** Submits a short binary training job (2 epochs, positive class `bad`) and waits for its end. */
export async function trainBriefly(http: Http, dataset: string) {
  const res = await http.post('/training-jobs', {
    dataset,
    task: 'binary',
    positiveClass: 'bad',
    hyperparameters: { epochs: 2 },
  });
  if (res.status !== 202) throw new Error(`training job refused: ${res.status} ${JSON.stringify(res.body)}`);
  return waitForJob(http, res.body.id);
}
