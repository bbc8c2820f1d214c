import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Request id: the caller's `x-request-id` when it is a sane token, else a new UUID. Fastify calls
 * this first with the raw request; storing it there lets pino-http (which sees the same raw
 * request in middleware) log the same id on every line.
 */
export function requestIdFor(req: IncomingMessage): string {
  const raw = req as IncomingMessage & { id?: string };
  if (raw.id) return raw.id;
  const header = req.headers['x-request-id'];
  raw.id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  return raw.id;
}

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

export function loggerParams(config: AppConfig, stream?: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level: config.env.LOG_LEVEL,
        genReqId: (req) => requestIdFor(req),
        customProps: () => ({ role: config.env.APP_ROLE }),
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        // Health probes and scrapes would drown everything else.
        autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: stripQuery(req.url) }),
        },
      },
      ...(stream ? [stream] : []),
    ] as Params['pinoHttp'],
  };
}

/** Query strings can carry secrets (e.g. a token pasted into a URL): log the path only. */
function stripQuery(url: string): string {
  const i = url.indexOf('?');
  return i === -1 ? url : `${url.slice(0, i)}?[redacted]`;
}
