import type { DataSource } from 'typeorm';

/**
 * Runs `work` under the PostgreSQL session advisory lock `key`, taken without waiting on one pooled
 * connection held for the whole run; null (and `work` not run) when another session holds it. So a
 * job scheduled on every worker runs on one at a time.
 */
export async function withAdvisoryLock<T>(ds: DataSource, key: number, work: () => Promise<T>): Promise<T | null> {
  const session = ds.createQueryRunner();
  await session.connect();
  try {
    const rows = (await session.query('SELECT pg_try_advisory_lock($1) AS locked', [key])) as { locked: boolean }[];
    if (!rows[0].locked) return null;
    try {
      return await work();
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await session.release();
  }
}
