import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { TEMPLATE_DB, connectionEnv, onMaintenanceDb } from './database';

/**
 * Once per e2e run: a template database with every migration applied (and each one reverted and
 * re-applied, so `down` is exercised too). Each test file clones it (createTestDatabase), so files
 * run in parallel without sharing state.
 */
export default async function globalSetup(): Promise<void> {
  await onMaintenanceDb(async (c) => {
    const stale = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'mlapi_t\\_%'");
    // Only databases of test workers that are gone: another run on this machine keeps its own.
    for (const { datname } of stale.rows) {
      if (!isAlive(Number(/^mlapi_t_(\d+)_/.exec(datname)?.[1]))) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await c.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  });
  const config = loadConfig({ ...connectionEnv(), PGDATABASE: TEMPLATE_DB, NODE_ENV: 'test' });
  const ds = new DataSource(dataSourceOptions(config));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations();
    for (let i = 0; i < applied.length; i++) await ds.undoLastMigration();
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
