import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';

export interface ScratchDatabase {
  /** Drops the database (closing whatever is still connected to it) and the connection that made it. */
  drop(): Promise<void>;
}

/** Creates the empty database `name` on the configured server (the benches' own, never the app's). */
export async function createDatabase(name: string, env = loadConfig().env): Promise<ScratchDatabase> {
  const admin = new Client({
    host: env.PGHOST,
    port: env.PGPORT,
    user: env.PGUSER,
    password: env.PGPASSWORD || undefined,
    database: 'postgres',
  });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  return {
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * Runs `work` on a fresh, migrated database named after `prefix` and this process, dropped
 * afterwards whatever happens: a benchmark's tables never meet the app's or another run's.
 */
export async function withScratchDatabase<T>(prefix: string, work: (ds: DataSource) => Promise<T>): Promise<T> {
  const name = `${prefix}_${process.pid}`;
  const scratch = await createDatabase(name);
  const options = dataSourceOptions(loadConfig({ ...process.env, PGDATABASE: name, DB_POOL_SIZE: '2' }));
  const ds = new DataSource({
    ...options,
    logger: 'simple-console',
    logging: ['error'],
    maxQueryExecutionTime: undefined,
  });
  try {
    await ds.initialize();
    await ds.runMigrations();
    return await work(ds);
  } finally {
    if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    await scratch.drop();
  }
}
