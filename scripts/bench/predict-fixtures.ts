import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { trainModel } from '../../src/ml/trainer';
import { inferSchema, markQuoted, parseCell, type CellValue, type DatasetSchema, type SampleCell } from '../../src/ml/schema';
import { AliasService } from '../../src/registry/alias.service';
import { ModelRegistryService } from '../../src/registry/model-registry.service';
import { TrackingService } from '../../src/registry/tracking.service';

/**
 * Credit-model fixtures shared by the predict benchmark and the inference e2e tests: the
 * shipped data typed with the import's rules, a trained bundle, and registration through the
 * registry's own services (the same path a training job takes).
 */
const NA = new Set(['', 'NA']);

export function creditData(rows = Infinity): { schema: DatasetSchema; records: Record<string, CellValue>[] } {
  const text = readFileSync(join(__dirname, '../../data/credit_data.csv'), 'utf8');
  const cells = parse(text, { cast: markQuoted }) as SampleCell[][];
  const headers = (cells[0] as (string | { text: string })[]).map((h) => (typeof h === 'string' ? h : h.text));
  const body = cells.slice(1, Number.isFinite(rows) ? rows + 1 : undefined);
  const schema = inferSchema(headers, body, NA);
  const records = body.map((row) => {
    const rec: Record<string, CellValue> = {};
    schema.columns.forEach((col, j) => {
      const cell = row[j] ?? null;
      const r = parseCell(typeof cell === 'object' && cell !== null ? cell.text : cell, col, NA);
      rec[col.name] = r.ok ? r.value : null;
    });
    return rec;
  });
  return { schema, records };
}

/** A binary credit model (target Status, positive class good) as a serialized bundle. */
export async function trainCreditBundle(data: ReturnType<typeof creditData>, seed: number, epochs = 3): Promise<Buffer> {
  const result = await trainModel({ ...data, target: 'Status', task: 'binary', family: 'mlp', positiveClass: 'good', seed, hyperparameters: { epochs } });
  result.predictor.dispose();
  return result.bundle;
}

/** Registers a bundle as the next version of `model`; returns the version number. */
export async function registerBundle(app: INestApplicationContext, model: string, bundle: Buffer): Promise<number> {
  const tracking = app.get(TrackingService);
  const run = await tracking.startRun({ experimentName: `${model}-fixtures`, startedBy: 'user:fixtures' });
  await tracking.putArtifact(run.id, 'model/bundle.json', bundle, 'application/json');
  await tracking.endRun(run.id, 'finished');
  return (await app.get(ModelRegistryService).registerVersion(model, { runId: run.id }, 'user:fixtures')).version;
}

export function moveAlias(app: INestApplicationContext, model: string, alias: string, version: number) {
  return app.get(AliasService).move(model, alias, { version, reason: 'fixtures', force: true }, { id: 'user:fixtures', isAdmin: true });
}

/** The features of a record (everything but the target). */
export function featuresOf(record: Record<string, CellValue>): Record<string, CellValue> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== 'Status'));
}
