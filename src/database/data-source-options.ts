import { readFileSync } from 'node:fs';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { ALL_MIGRATIONS } from '../../migrations';
import type { AppConfig } from '../config/app-config';
import { ALL_ENTITIES } from './entities';
import { QueryLogger } from './query-logger';

/** Where TypeORM records applied migrations (the readiness probe reads it too). */
export const MIGRATIONS_TABLE = 'migrations';

/**
 * The one TypeORM configuration, used by the app, the CLI scripts and the migration commands.
 * Entities and migrations are listed explicitly (not globbed) so they load the same way under
 * ts-node, Jest and the compiled build.
 */
export function dataSourceOptions(config: AppConfig): PostgresConnectionOptions {
  const env = config.env;
  const connection = env.DATABASE_URL
    ? { url: env.DATABASE_URL }
    : { host: env.PGHOST, port: env.PGPORT, username: env.PGUSER, password: env.PGPASSWORD, database: env.PGDATABASE };
  return {
    type: 'postgres',
    ...connection,
    ssl: sslOptions(config),
    entities: ALL_ENTITIES,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logger: new QueryLogger(),
    maxQueryExecutionTime: 2000,
    extra: {
      max: env.DB_POOL_SIZE,
      application_name: `ml-api:${env.APP_ROLE}`,
      // pg-pool waits for a connection without end by default: a host that does not answer held
      // every request until the kernel gave up. Bounded, the request gets its 503 at once.
      connectionTimeoutMillis: env.DB_CONNECT_TIMEOUT_MS,
    },
  };
}

function sslOptions(config: AppConfig): PostgresConnectionOptions['ssl'] {
  switch (config.env.DB_SSL) {
    case 'disable':
      return false;
    case 'require':
      // Encrypt without verifying the chain, as libpq's sslmode=require does.
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, ca: readFileSync(config.env.DB_SSL_CA_FILE as string, 'utf8') };
  }
}
