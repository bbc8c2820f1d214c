import type { DataSource } from 'typeorm';
import type { SealedBucket } from './bucket-accumulator';

/** Rows per INSERT: a long outage's backlog goes in several statements of bounded size. */
export const ROWS_PER_INSERT = 500;

/**
 * Insert-only: each sealed bucket is one row whose id was drawn when it was sealed. A write retried
 * after an error whose commit was not seen (the reply lost) meets its own rows and skips them
 * (ON CONFLICT DO NOTHING): nothing counted twice, and replicas never update one another's rows.
 */
export async function insertBuckets(ds: DataSource, buckets: ReadonlyArray<SealedBucket>): Promise<void> {
  for (let i = 0; i < buckets.length; i += ROWS_PER_INSERT) {
    const rows = buckets.slice(i, i + ROWS_PER_INSERT);
    await ds.query(
      `INSERT INTO monitoring.buckets (model, version, minute, id, alias, predictions, payload)
       SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::uuid[], $5::text[], $6::int[], $7::jsonb[])
       ON CONFLICT DO NOTHING`,
      [
        rows.map((b) => b.model),
        rows.map((b) => b.version),
        rows.map((b) => new Date(b.minute).toISOString()),
        rows.map((b) => b.id),
        rows.map((b) => b.alias),
        rows.map((b) => b.aggregate.rows),
        rows.map((b) => JSON.stringify(b.aggregate)),
      ],
    );
  }
}

/**
 * Deletes buckets of minutes older than `days` days, and the hourly roll-ups of hours that began
 * before that cutoff (so an hour being cut into is read from its remaining minutes); returns how
 * many minute rows. One statement: both sides go together.
 */
export async function deleteOldBuckets(ds: DataSource, days: number): Promise<number> {
  const [, count] = await ds.query<[unknown, number]>(
    `WITH hourly AS (DELETE FROM monitoring.buckets_hourly WHERE hour < now() - make_interval(days => $1))
     DELETE FROM monitoring.buckets WHERE minute < now() - make_interval(days => $1)`,
    [days],
  );
  return count;
}
