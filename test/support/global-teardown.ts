import { onMaintenanceDb, templateDb } from './database';

/** Drops this run's template database (test files drop their own clones). */
export default async function globalTeardown(): Promise<void> {
  await onMaintenanceDb((c) => c.query(`DROP DATABASE IF EXISTS "${templateDb()}" WITH (FORCE)`));
}
