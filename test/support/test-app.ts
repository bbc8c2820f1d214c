import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '../../src/bootstrap/create-app';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { deleteRedisKeys } from './redis-keys';
import { connectionEnv, createTestDatabase, dropTestDatabase } from './database';
import { askedLogLevel, moreVerbose, testLogStream } from './log-level';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  baseUrl: string;
  database: string;
  /** Every log line the app wrote, as text (at info unless `env` or LOG_LEVEL asks for another level). */
  logs: () => string;
  close: () => Promise<void>;
}

/**
 * The real app, listening on a random port, on its own fresh database and Redis key prefix.
 * `env` overrides configuration for this file. Its log lines are kept for the tests (`logs`), at
 * info or more verbose, and printed only when the developer sets LOG_LEVEL (test/support/log-level.ts).
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    ...connectionEnv(),
    NODE_ENV: 'test',
    PGDATABASE: database,
    REDIS_PREFIX: `mlapi-test-${randomUUID().slice(0, 8)}`,
    DB_MIGRATE_ON_START: 'false',
    LOG_LEVEL: moreVerbose('info', askedLogLevel() ?? 'info'),
    JWT_SECRET: TEST_JWT_SECRET,
    // Files log in many times from 127.0.0.1; the throttling test sets its own limits.
    LOGIN_MAX_PER_IP: '100000',
    // A worker context built from this config (roles.e2e) must not take port 9464 in every file.
    WORKER_METRICS_PORT: '0',
    ...env,
  });
  const chunks: string[] = [];
  const logStream = new PassThrough();
  logStream.on('data', (c: Buffer) => chunks.push(c.toString()));
  const app = await createHttpApp({ config, logStream: testLogStream(logStream) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    database,
    baseUrl: `http://127.0.0.1:${address.port}`,
    logs: () => chunks.join(''),
    close: async () => {
      await app.close();
      await dropTestDatabase(database);
      // Bull keeps job ids and repeat schedules without a TTL: without this every run leaves some.
      await deleteRedisKeys(config.env.REDIS_URL, config.env.REDIS_PREFIX);
    },
  };
}
