import type { DataSource } from 'typeorm';

const DAY_MS = 86_400_000;
const PARENT = 'inference.predictions';
// Any replica may run maintenance; this lock (arbitrary constant) makes them take turns.
const LOCK_KEY = 764_100_005;

/** `predictions_p20261126` for the UTC day of `day`. */
export function partitionName(day: Date): string {
  return `predictions_p${day.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

export function utcDay(time: Date | number): Date {
  const t = typeof time === 'number' ? time : time.getTime();
  return new Date(Math.floor(t / DAY_MS) * DAY_MS);
}

/** The UTC day a partition covers, from its name; null for names not made here. */
export function dayOfPartition(name: string): Date | null {
  const m = /^predictions_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : null;
}

/**
 * Creates the daily partitions from yesterday (a replica with a late clock) to `ahead` days
 * after today, and drops those older than `retentionDays` (0 keeps everything). Names and bounds
 * come from dates formatted here, never from input, so building the DDL text is safe.
 */
export async function maintainPartitions(
  ds: DataSource,
  now: Date,
  ahead: number,
  retentionDays: number,
): Promise<{ created: string[]; dropped: string[] }> {
  const today = utcDay(now);
  const created: string[] = [];
  const dropped: string[] = [];
  await ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const existing = new Set(
      (
        await m.query<{ relname: string }[]>(
          `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`,
          [PARENT],
        )
      ).map((r) => r.relname),
    );
    for (let d = -1; d <= ahead; d++) {
      const from = new Date(today.getTime() + d * DAY_MS);
      const name = partitionName(from);
      if (existing.has(name)) continue;
      const to = new Date(from.getTime() + DAY_MS);
      await m.query(
        `CREATE TABLE IF NOT EXISTS inference.${name} PARTITION OF ${PARENT} FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
      );
      created.push(name);
    }
    if (retentionDays > 0) {
      const oldest = today.getTime() - retentionDays * DAY_MS;
      for (const name of existing) {
        const day = dayOfPartition(name);
        if (day && day.getTime() < oldest) {
          await m.query(`DROP TABLE IF EXISTS inference.${name}`);
          dropped.push(name);
        }
      }
    }
  });
  return { created, dropped };
}
