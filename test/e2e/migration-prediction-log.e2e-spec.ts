import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations';
import { PredictionLogJsonBrin1764100007000 } from '../../migrations/1764100007000-prediction-log-json-brin';
import { PredictionLogModelTimeIndex1764100008000 } from '../../migrations/1764100008000-prediction-log-model-time-index';
import { PredictionShadowLink1764100014000 } from '../../migrations/1764100014000-prediction-shadow-link';
import { maintainPartitions } from '../../src/inference/prediction-log/log-partitions';
import { close, openDatabase } from '../support/migration-database';

const columnTypes = async (ds: DataSource) =>
  (
    await ds.query<{ column_name: string; data_type: string }[]>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'inference' AND table_name = 'predictions' AND column_name IN ('features', 'output') ORDER BY column_name`,
    )
  ).map((c) => `${c.column_name}:${c.data_type}`);
const indexes = async (ds: DataSource) =>
  (
    await ds.query<{ indexname: string }[]>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'inference' AND tablename = 'predictions' ORDER BY indexname`,
    )
  ).map((i) => i.indexname);
const stored = async (ds: DataSource, id: string) =>
  (
    await ds.query<{ features: unknown; output: unknown }[]>(
      'SELECT features, output FROM inference.predictions WHERE id = $1',
      [id],
    )
  )[0];
const features = { Age: 30, Home: 'rent "quoted" \\ back\tslash', 'ünïcode ✓': null, nested: { a: [1, 2.5, true] } };
const output = { label: 'good', probabilities: { good: 0.8123456789012345, bad: 0.1876543210987655 } };
const insert = (ds: DataSource, id: string) =>
  ds.query(
    `INSERT INTO inference.predictions (id, created_at, model, version, alias, caller, features, output, latency_ms) VALUES ($1, now(), 'credit', 1, 'production', 'user:x', $2, $3, 1.5)`,
    [id, JSON.stringify(features), JSON.stringify(output)],
  );

/**
 * Migration 1764100007000 (prediction log: jsonb -> json, btree -> BRIN) on a log that already
 * holds rows: every row keeps its features and output, up and down.
 */
describe('prediction log migration on stored predictions (real PostgreSQL)', () => {
  let opened: { db: string; ds: DataSource };
  let ds: DataSource;

  beforeAll(async () => {
    opened = await openDatabase(
      ALL_MIGRATIONS.slice(0, ALL_MIGRATIONS.indexOf(PredictionLogJsonBrin1764100007000) + 1),
    );
    ds = opened.ds;
  });
  afterAll(() => close(opened));

  it('keeps every stored prediction through up and down', async () => {
    const id = randomUUID();

    await ds.undoLastMigration(); // back to the jsonb log with its btree
    expect(await columnTypes(ds)).toEqual(['features:jsonb', 'output:jsonb']);
    await maintainPartitions(ds, new Date(), 1, 0);
    await insert(ds, id);

    expect((await ds.runMigrations()).map((m) => m.name)).toEqual(['PredictionLogJsonBrin1764100007000']);
    expect(await columnTypes(ds)).toEqual(['features:json', 'output:json']);
    expect(await indexes(ds)).toEqual(['predictions_created_brin', 'predictions_pkey']);
    expect(await stored(ds, id)).toEqual({ features, output });

    await ds.undoLastMigration();
    expect(await columnTypes(ds)).toEqual(['features:jsonb', 'output:jsonb']);
    expect(await indexes(ds)).toEqual(['predictions_model_time_idx', 'predictions_pkey']);
    expect(await stored(ds, id)).toEqual({ features, output });
    await ds.runMigrations();
  });
});

/**
 * Migration 1764100008000 (prediction log: BRIN on time -> btree on model and time) on a log that
 * already holds rows, in partitions made before and after it: rows stay, and the index covers them.
 */
describe('prediction log model-time index migration on stored predictions (real PostgreSQL)', () => {
  let opened: { db: string; ds: DataSource };
  let ds: DataSource;

  beforeAll(async () => {
    // Later migrations are undone first, so 1764100008000 is the last one here.
    opened = await openDatabase(
      ALL_MIGRATIONS.slice(0, ALL_MIGRATIONS.indexOf(PredictionLogModelTimeIndex1764100008000) + 1),
    );
    ds = opened.ds;
  });
  afterAll(() => close(opened));

  // Each partition's own index, named after its parent index's columns by PostgreSQL.
  const partitionIndexes = async () =>
    (
      await ds.query<{ indexdef: string }[]>(
        `SELECT x.indexdef FROM pg_indexes x JOIN pg_inherits i ON i.inhrelid = format('%I.%I', x.schemaname, x.tablename)::regclass
         WHERE i.inhparent = 'inference.predictions'::regclass AND x.indexname NOT LIKE '%pkey'`,
      )
    ).map((r) => r.indexdef.replace(/^.* USING /, ''));

  it('keeps every stored prediction through up and down, and every partition gets the index', async () => {
    const id = randomUUID();
    await ds.undoLastMigration();
    expect(await indexes(ds)).toEqual(['predictions_created_brin', 'predictions_pkey']);
    await maintainPartitions(ds, new Date(), 1, 0);
    await insert(ds, id);

    expect((await ds.runMigrations()).map((m) => m.name)).toEqual(['PredictionLogModelTimeIndex1764100008000']);
    expect(await indexes(ds)).toEqual(['predictions_model_created_idx', 'predictions_pkey']);
    expect(await stored(ds, id)).toEqual({ features, output });
    // A partition made after the migration gets the index too.
    await maintainPartitions(ds, new Date(Date.now() + 5 * 86_400_000), 1, 0);
    const after = await partitionIndexes();
    expect(after.length).toBeGreaterThanOrEqual(5);
    expect(new Set(after)).toEqual(new Set(['btree (model, created_at)']));
    await ds.query('SET enable_seqscan = off');
    const [{ n }] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM inference.predictions WHERE model = 'credit' AND created_at >= now() - interval '1 day'`,
    );
    await ds.query('RESET enable_seqscan');
    expect(n).toBe(1);

    await ds.undoLastMigration();
    expect(await indexes(ds)).toEqual(['predictions_created_brin', 'predictions_pkey']);
    expect(new Set(await partitionIndexes())).toEqual(new Set(['brin (created_at)']));
    expect(await stored(ds, id)).toEqual({ features, output });
    await ds.runMigrations();
    expect(await indexes(ds)).toEqual(['predictions_model_created_idx', 'predictions_pkey']);
  });
});

/** Migration 1764100014000 (shadow_of): on the partitioned log, every partition has the column, up and down. */
describe('prediction log shadow link migration (real PostgreSQL)', () => {
  let opened: { db: string; ds: DataSource };

  beforeAll(async () => {
    // The log as that migration left it, so its `down` is the last one (later migrations come after).
    opened = await openDatabase(ALL_MIGRATIONS.slice(0, ALL_MIGRATIONS.indexOf(PredictionShadowLink1764100014000) + 1));
    await maintainPartitions(opened.ds, new Date(), 2, 0);
  });
  afterAll(() => close(opened));

  const tablesWithColumn = async (ds: DataSource) =>
    (
      await ds.query<{ table_name: string }[]>(
        `SELECT table_name FROM information_schema.columns WHERE table_schema = 'inference' AND column_name = 'shadow_of' ORDER BY table_name`,
      )
    ).map((c) => c.table_name);

  it('adds a nullable shadow_of to the log and each partition; down drops it and keeps the rows', async () => {
    const { ds } = opened;
    const partitions = await tablesWithColumn(ds);
    expect(partitions).toContain('predictions');
    expect(partitions.length).toBeGreaterThanOrEqual(3); // the log and its partitions
    const id = randomUUID();
    await insert(ds, id);
    await ds.undoLastMigration();
    expect(await tablesWithColumn(ds)).toEqual([]);
    expect(await stored(ds, id)).toEqual({ features, output });
    await ds.runMigrations();
    expect(await tablesWithColumn(ds)).toEqual(partitions);
    const shadow = randomUUID();
    await ds.query(
      `INSERT INTO inference.predictions (id, created_at, model, version, alias, caller, features, output, latency_ms, shadow_of) VALUES ($1, now(), 'credit', 2, 'shadow', 'user:x', '{}', '{}', 1, $2)`,
      [shadow, id],
    );
    expect(await ds.query('SELECT shadow_of FROM inference.predictions WHERE id = $1', [shadow])).toEqual([
      { shadow_of: id },
    ]);
  });
});
