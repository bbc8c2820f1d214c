import type { IncomingMessage } from 'node:http';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Registry } from 'prom-client';
import { AppModule, type AppModuleOptions } from '../app.module';
import { fastifyTrustProxy } from '../config/trust-proxy';
import { HttpErrorFilter } from '../common/errors/http-error.filter';
import { UploadSpool } from '../data';
import { registerHttpMetrics } from '../monitoring';
import { registerInputGuard } from '../common/input-guard';
import { AppLogger } from '../common/logging/app-logger';
import { requestIdFor } from '../common/logging/request-id';
import { registerRequestLogging } from '../common/logging/request-logging';
import { createRootLogger } from '../common/logging/root-logger';
import { ERROR_STATUSES } from './error-statuses';
import { sendFrameworkError } from './framework-errors';
import { HELMET_OPTIONS, securityHeaders } from './security-headers';
import { createValidationPipe } from '../common/validation';
import { setupSwagger } from './swagger';

/** What a browser client may send and read; @fastify/cors's default allows only GET, HEAD and POST. */
const CORS_POLICY = {
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
  exposedHeaders: ['X-Request-Id', 'Retry-After'],
};

/**
 * Builds the HTTP application (not listening yet). main.ts and the e2e tests both use it, so
 * tests exercise exactly what production runs.
 */
export async function createHttpApp(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const adapter = new FastifyAdapter({
    bodyLimit: config.env.BODY_LIMIT_BYTES,
    genReqId: (req: IncomingMessage) => requestIdFor(req),
    // On close, drop idle keep-alive sockets at once; in-flight requests still finish.
    forceCloseConnections: 'idle',
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // The longest name a path holds is a dataset's (200 characters); the router measures it decoded,
    // except for escaped reserved characters (`%2F`, three each). Under routerOptions: Fastify 5
    // deprecates it at the top level (FSTDEP022, printed once per app).
    routerOptions: { maxParamLength: 200 * 3 },
    // Errors the router raises before any hook (a path parameter over that limit, a bad escape).
    frameworkErrors: sendFrameworkError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    bufferLogs: true,
  });
  const logger = createRootLogger(config, options.logStream);
  app.useLogger(new AppLogger(logger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();
  registerRequestLogging(fastify, logger);
  registerHttpMetrics(fastify, app.get(Registry));
  const headers = securityHeaders(HELMET_OPTIONS);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers).header('x-request-id', request.id);
    done();
  });
  registerInputGuard(fastify);
  await app.register(cookie); // parses Cookie for the browser session (src/auth/browser-session); no signing secret: the session cookie is a JWT
  await app.register(multipart); // each upload's limits are set where it is read (UploadSpool)
  // Runs once Nest closes the server, after the SIGTERM drain: see UploadSpool.interruptUploads.
  fastify.addHook('preClose', (done) => {
    app.get(UploadSpool).interruptUploads();
    done();
  });
  if (config.corsOrigins) app.enableCors({ origin: config.corsOrigins, credentials: false, ...CORS_POLICY });

  app.useGlobalFilters(new HttpErrorFilter(ERROR_STATUSES));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  if (config.swaggerUi) setupSwagger(app);
  await app.init();
  return app;
}

/** A process without HTTP: queue processors and schedulers only (APP_ROLE=worker). */
export async function createWorkerContext(options: AppModuleOptions) {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(options), { bufferLogs: true });
  app.useLogger(new AppLogger(createRootLogger(options.config, options.logStream)));
  app.flushLogs();
  app.enableShutdownHooks();
  await app.init();
  return app;
}
