import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { connectionEnv, onMaintenanceDb, templateDb } from './database';
import { quietNestLogger } from './log-level';

/**
 * Once per e2e run: a template database with every migration applied (and each one reverted and
 * re-applied, so `down` is exercised too). Each test file clones it (createTestDatabase), so files
 * run in parallel without sharing state.
 */
export default async function globalSetup(): Promise<void> {
  quietNestLogger(); // the migrations log a line each (setupFiles run in the test files, not here)
  const template = templateDb();
  process.env.MLAPI_TEMPLATE_DB = template; // inherited by the test workers
  await onMaintenanceDb(async (c) => {
    const stale = await c.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname ~ '^mlapi_(t|tpl)_[0-9]+'",
    );
    // Only databases of test processes that are gone: another run on this machine keeps its own.
    for (const { datname } of stale.rows) {
      if (!isAlive(Number(/^mlapi_(?:t|tpl)_(\d+)/.exec(datname)?.[1])))
        await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await c.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${template}"`);
  });
  const config = loadConfig({ ...connectionEnv(), PGDATABASE: template, NODE_ENV: 'test' });
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
