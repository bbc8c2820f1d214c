import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { maintainPartitions } from '../../src/inference/prediction-log/log-partitions';
import { connectionEnv, createTestDatabase, dropTestDatabase } from '../support/database';

/**
 * Migration 1764100007000 (prediction log: jsonb -> json, btree -> BRIN) on a log that already
 * holds rows: every row keeps its features and output, up and down.
 */
describe('prediction log migration on stored predictions (real PostgreSQL)', () => {
  let db: string;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(loadConfig({ ...connectionEnv(), PGDATABASE: db, NODE_ENV: 'test' })));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await dropTestDatabase(db);
  });

  const columnTypes = async () =>
    (
      await ds.query<{ column_name: string; data_type: string }[]>(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'inference' AND table_name = 'predictions' AND column_name IN ('features', 'output') ORDER BY column_name`,
      )
    ).map((c) => `${c.column_name}:${c.data_type}`);
  const indexes = async () =>
    (
      await ds.query<{ indexname: string }[]>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = 'inference' AND tablename = 'predictions' ORDER BY indexname`,
      )
    ).map((i) => i.indexname);
  const stored = async (id: string) =>
    (
      await ds.query<{ features: unknown; output: unknown }[]>(
        'SELECT features, output FROM inference.predictions WHERE id = $1',
        [id],
      )
    )[0];

  it('keeps every stored prediction through up and down', async () => {
    const features = {
      Age: 30,
      Home: 'rent "quoted" \\ back\tslash',
      'ünïcode ✓': null,
      nested: { a: [1, 2.5, true] },
    };
    const output = { label: 'good', probabilities: { good: 0.8123456789012345, bad: 0.1876543210987655 } };
    const id = randomUUID();

    await ds.undoLastMigration(); // back to the jsonb log with its btree
    expect(await columnTypes()).toEqual(['features:jsonb', 'output:jsonb']);
    await maintainPartitions(ds, new Date(), 1, 0);
    await ds.query(
      `INSERT INTO inference.predictions (id, created_at, model, version, alias, caller, features, output, latency_ms) VALUES ($1, now(), 'credit', 1, 'production', 'user:x', $2, $3, 1.5)`,
      [id, JSON.stringify(features), JSON.stringify(output)],
    );

    expect((await ds.runMigrations()).map((m) => m.name)).toEqual(['PredictionLogJsonBrin1764100007000']);
    expect(await columnTypes()).toEqual(['features:json', 'output:json']);
    expect(await indexes()).toEqual(['predictions_created_brin', 'predictions_pkey']);
    expect(await stored(id)).toEqual({ features, output });

    await ds.undoLastMigration();
    expect(await columnTypes()).toEqual(['features:jsonb', 'output:jsonb']);
    expect(await indexes()).toEqual(['predictions_model_time_idx', 'predictions_pkey']);
    expect(await stored(id)).toEqual({ features, output });
    await ds.runMigrations();
  });
});
