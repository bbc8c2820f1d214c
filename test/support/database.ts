import { Client } from 'pg';

/**
 * One template per jest run (named after the run's main process, exported to the workers by
 * global setup), so two runs on one machine never drop each other's template.
 */
export const templateDb = (): string => process.env.MLAPI_TEMPLATE_DB ?? `mlapi_tpl_${process.pid}`;
const ADMIN = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD,
  database: 'postgres',
};

/** Runs statements on the maintenance database (CREATE/DROP DATABASE cannot run elsewhere). */
export async function onMaintenanceDb<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(ADMIN);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database for one test file, cloned from the migrated template. */
export async function createTestDatabase(): Promise<string> {
  const name = `mlapi_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await onMaintenanceDb((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDb()}"`));
  return name;
}

export async function dropTestDatabase(name: string): Promise<void> {
  await onMaintenanceDb((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export const connectionEnv = () => ({
  PGHOST: ADMIN.host,
  PGPORT: String(ADMIN.port),
  PGUSER: ADMIN.user,
  ...(ADMIN.password ? { PGPASSWORD: ADMIN.password } : {}),
});
