import type { DataSource } from 'typeorm';

/**
 * Runs `work` under a PostgreSQL session advisory lock held on one pooled connection, or answers
 * null at once when another process holds it: jobs that must not overlap across workers.
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
