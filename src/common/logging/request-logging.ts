import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { requestContext } from './root-logger';

/** Probes and scrapes would drown everything else. */
const QUIET = /^\/(health|metrics|v2\/health)(\/|$|\?)/;

/**
 * Per-request logging on Fastify's own hooks (not an Express-style middleware, a layer that costs a
 * trivial request much of its throughput): the request id is put in AsyncLocalStorage
 * for every line written while serving, and one line is written when the response is sent.
 */
export function registerRequestLogging(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    requestContext.run({ reqId: request.id }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!QUIET.test(request.url) && logger.isLevelEnabled('info')) {
      logger.info(
        {
          req: { id: request.id, method: request.method, url: stripQuery(request.url) },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request completed',
      );
    }
    done();
  });
}

/** Query strings can carry secrets (e.g. a token pasted into a URL): log the path only. */
export function stripQuery(url: string): string {
  const i = url.indexOf('?');
  return i === -1 ? url : `${url.slice(0, i)}?[redacted]`;
}
