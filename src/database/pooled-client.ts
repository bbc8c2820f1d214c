import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A client of the app's pool for the work TypeORM does not do (COPY, cursors, an import's long
 * transaction). pg-pool takes its error listener off a client it hands out, so a connection that
 * drops between two queries (PostgreSQL killed or restarted) would emit an unhandled 'error' and
 * end the process; this client keeps a listener until it is released. The error is not lost:
 * the query in flight, or the next one, fails with it.
 */
export async function checkoutClient(dataSource: DataSource): Promise<PoolClient> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const client = await pool.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  const release = client.release.bind(client);
  client.release = (err?: Error | boolean) => {
    client.off('error', ignore);
    release(err);
  };
  return client;
}
