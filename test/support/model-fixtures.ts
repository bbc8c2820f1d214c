import type { INestApplicationContext } from '@nestjs/common';
import type { ModelFamily } from '../../src/ml/hyperparameters';
import { trainModel } from '../../src/ml/trainer';
import type { CellValue } from '../../src/ml/schema';
import { AliasService } from '../../src/registry/alias.service';
import { ModelRegistryService } from '../../src/registry/model-registry.service';
import { TrackingService } from '../../src/registry/tracking.service';
import { loadShipped, type ShippedData } from './shipped-data';

/**
 * Credit-model fixtures shared by the predict benchmark and the inference e2e tests: the
 * shipped data typed with the import's rules, a trained bundle, and registration through the
 * registry's own services (the same path a training job takes).
 */

/** The first `rows` rows of the shipped credit data, typed like the import types them. */
export function creditData(rows = Infinity): ShippedData {
  return loadShipped('credit_data.csv', rows);
}

/** A binary credit model (target Status, positive class good) as a serialized bundle. */
export async function trainCreditBundle(
  data: ShippedData,
  seed: number,
  epochs = 3,
  family: ModelFamily = 'mlp',
): Promise<Buffer> {
  const result = await trainModel({
    ...data,
    target: 'Status',
    task: 'binary',
    family,
    positiveClass: 'good',
    seed,
    hyperparameters: { epochs },
  });
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
  return app
    .get(AliasService)
    .move(model, alias, { version, reason: 'fixtures', force: true }, { id: 'user:fixtures', isAdmin: true });
}

/** The features of a record (everything but the target). */
export function featuresOf(record: Record<string, CellValue>): Record<string, CellValue> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== 'Status'));
}
