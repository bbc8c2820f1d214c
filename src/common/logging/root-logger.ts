import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../../config/app-config';

/** The request being served, for every log line written while serving it (set per request). */
export const requestContext = new AsyncLocalStorage<{ reqId: string }>();

/** Anything that could hold a credential, wherever it appears in a log object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.refreshToken',
  '*.accessToken',
  '*.token',
  '*.secret',
  'password',
  'refreshToken',
  'accessToken',
  'token',
  'secret',
];

/**
 * The process's one pino logger: JSON lines, credentials redacted, and the current request's id
 * added to every line by `mixin` (read from AsyncLocalStorage), whichever code writes it.
 */
export function createRootLogger(config: AppConfig, stream?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.env.LOG_LEVEL,
    base: { pid: process.pid, role: config.env.APP_ROLE },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => {
      const store = requestContext.getStore();
      return store ? { reqId: store.reqId } : {};
    },
  };
  return stream ? pino(options, stream) : pino(options);
}
