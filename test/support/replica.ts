import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import passport from 'passport';
import { BearerStrategy } from '../../src/auth/bearer.strategy';
import { createHttpApp } from '../../src/bootstrap/create-app';
import { AppConfig } from '../../src/config/app-config';
import { Http } from './http';
import { unreadLogStream } from './log-level';
import type { TestApp } from './test-app';

/**
 * An in-process app beside a file's test app, printing only what the developer asked for
 * (LOG_LEVEL; test/support/log-level.ts): without a log stream it would write info lines to stdout.
 */
export function replicaApp(config: AppConfig): Promise<NestFastifyApplication> {
  return createHttpApp({ config, logStream: unreadLogStream() });
}

/**
 * A second instance of the app on the same database and Redis prefix, with some settings changed:
 * another replica, or the same one after a restart (it starts with nothing in memory).
 *
 * Passport keeps strategies in one registry per process, by name: while the replica lives, both
 * apps check bearer tokens with the replica's strategy (its revocations, caches and database), so a
 * case about what one replica knows asks the replica. `close` gives the first app its own back.
 */
export async function replicaOf(t: TestApp, env: Partial<AppConfig['env']> = {}) {
  // An HTTP-only replica: these cases start and close several apps in a second, and a worker role's
  // Bull connections closed that soon after start can reject with "Connection is closed" (see #18).
  const config = new AppConfig({ ...t.config.env, APP_ROLE: 'api', ...env });
  const app = await replicaApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const close = async () => {
    await app.close();
    checkTokensWith(t);
  };
  return { app, http: new Http(url), close };
}

/**
 * Makes `t`'s bearer strategy the one every app of this process checks tokens with: passport keeps
 * one per name, the last app started wins, so a file with two long-lived apps says which one a
 * case talks to.
 */
export function checkTokensWith(t: Pick<TestApp, 'app'>): void {
  passport.use('bearer', t.app.get(BearerStrategy));
}
