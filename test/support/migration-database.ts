import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { connectionEnv, createTestDatabase, dropTestDatabase } from './database';

/** A fresh database (every migration applied) and a data source on it that knows `migrations`. */
export async function openDatabase(
  migrations: (typeof ALL_MIGRATIONS)[number][] = ALL_MIGRATIONS,
): Promise<{ db: string; ds: DataSource }> {
  const db = await createTestDatabase();
  const options = dataSourceOptions(loadConfig({ ...connectionEnv(), PGDATABASE: db, NODE_ENV: 'test' }));
  // The migrations after the last one `migrations` holds are undone first, so the log is as that one left it.
  const all = new DataSource(options);
  await all.initialize();
  for (let i = migrations.length; i < ALL_MIGRATIONS.length; i++) await all.undoLastMigration();
  await all.destroy();
  const ds = new DataSource({ ...options, migrations });
  await ds.initialize();
  return { db, ds };
}

export async function close({ db, ds }: { db: string; ds: DataSource }): Promise<void> {
  await ds.destroy();
  await dropTestDatabase(db);
}
