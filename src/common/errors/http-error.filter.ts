import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { CommonErrorCode, DEPENDENCY_FIELD, dependencyUnavailable, type Dependency } from './common.errors';
import { DomainError, type ErrorDetailInput, type ErrorStatuses } from './domain-error';
import { OutageLog } from './outage-log';
import { unreachableDependency } from './unreachable-dependency';

export interface Normalised {
  status: number;
  /** The domain code; none for errors that are not a module's (framework, Fastify, unexpected). */
  code?: string;
  message: string;
  details: ErrorDetailInput[];
  headers: Record<string, string>;
}

/**
 * Turns every error into `{statusCode, error, code, message, details, requestId}`. A DomainError
 * answers the status its code has in `statuses`, the table the bootstrap combines from every
 * module's (common cannot import the modules); Nest's HttpExceptions and Fastify's client errors
 * keep their own status and have no `code`. An error of a driver that says PostgreSQL or Redis
 * cannot be reached becomes `common.dependency_unavailable` (503 naming it), whatever the route,
 * and goes to the outage log rather than one stack per request. Unknown errors, and a domain code
 * missing from the table, become a bare 500: their message may hold SQL or a stack, so it goes to
 * the log only.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');
  private readonly outages = new OutageLog(this.logger);

  constructor(private readonly statuses: ErrorStatuses) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const normalised = normalise(exception, this.statuses);
    if (normalised.code === CommonErrorCode.DEPENDENCY_UNAVAILABLE) {
      this.outages.refused(dependencyNamed(normalised), exception, request.id);
    } else if (normalised.status >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, 'request failed');
    }
    reply.headers(normalised.headers);
    void reply.status(normalised.status).send(errorBody(normalised, request.id));
  }
}

/** Details shown at most; a request can earn thousands (a full batch of unknown features), so the rest are counted. */
export const MAX_DETAILS = 100;
/** Characters of a detail's text fields (a field name echoes a client's key, which may be long) and of a message. */
const MAX_DETAIL_TEXT = 500;
const MAX_MESSAGE = 2000;

/** The body every error answers; the one place it is built, so the caps hold for every route. */
export function errorBody(normalised: Normalised, requestId: string) {
  const { details } = normalised;
  return {
    statusCode: normalised.status,
    error: STATUS_CODES[normalised.status] ?? 'Error',
    ...(normalised.code === undefined ? {} : { code: normalised.code }),
    message: clip(normalised.message, MAX_MESSAGE),
    details: details.slice(0, MAX_DETAILS).map(clipDetail),
    ...(details.length > MAX_DETAILS ? { detailsOmitted: details.length - MAX_DETAILS } : {}),
    requestId,
  };
}

function clipDetail(detail: ErrorDetailInput): ErrorDetailInput {
  const out: ErrorDetailInput = { ...detail };
  for (const [key, value] of Object.entries(out)) if (typeof value === 'string') out[key] = clip(value);
  return out;
}

const clip = (s: string, max = MAX_DETAIL_TEXT): string => (s.length > max ? `${s.slice(0, max)}…` : s);

export function normalise(exception: unknown, statuses: ErrorStatuses): Normalised {
  if (exception instanceof DomainError) return fromDomainError(exception as DomainError<string>, statuses);
  if (exception instanceof HttpException) {
    return fromHttpException(exception);
  }
  const dependency = unreachableDependency(exception);
  if (dependency) return fromDomainError(dependencyUnavailable(dependency), statuses);
  // Fastify's own client errors (body too large, malformed JSON, bad content type) carry a 4xx.
  const fastifyStatus = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    return {
      status: fastifyStatus,
      message: fastifyMessage(exception as Error, fastifyStatus),
      details: [],
      headers: {},
    };
  }
  return INTERNAL;
}

/** The dependency a `common.dependency_unavailable` names (by its one detail's field). */
const dependencyNamed = (normalised: Normalised): Dependency =>
  normalised.details[0]?.field === DEPENDENCY_FIELD.Redis ? 'Redis' : 'PostgreSQL';

const INTERNAL: Readonly<Normalised> = {
  status: HttpStatus.INTERNAL_SERVER_ERROR,
  message: 'Internal server error',
  details: [],
  headers: {},
};

/** A code missing from the table is a wiring bug (error-statuses.spec.ts guards it): a bare 500. */
function fromDomainError(error: DomainError<string>, statuses: ErrorStatuses): Normalised {
  if (!Object.hasOwn(statuses, error.code)) return INTERNAL;
  return {
    status: statuses[error.code],
    code: error.code,
    message: error.message,
    details: error.details,
    headers: error.headers,
  };
}

function fromHttpException(exception: HttpException): Normalised {
  const status = exception.getStatus();
  const response = exception.getResponse();
  let message = exception.message;
  let details: ErrorDetailInput[] = [];
  if (typeof response === 'object' && response !== null) {
    const body = response as { message?: unknown; details?: unknown };
    if (typeof body.message === 'string') message = body.message;
    else if (Array.isArray(body.message)) {
      message = 'Validation failed';
      details = body.message.map((m) => ({ field: '', message: String(m) }));
    }
    if (Array.isArray(body.details)) details = body.details as ErrorDetailInput[];
  }
  return { status, message, details, headers: {} };
}

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body is larger than the configured limit',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported content type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Body cannot be empty when content-type is application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Malformed JSON body',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is longer than the router accepts',
  FST_ERR_BAD_URL: 'The path holds an invalid escape sequence',
};

function fastifyMessage(error: Error, status: number): string {
  const code = (error as { code?: string }).code;
  if (code && FASTIFY_MESSAGES[code]) return FASTIFY_MESSAGES[code];
  if (error instanceof SyntaxError) return `Malformed JSON body: ${error.message}`;
  return STATUS_CODES[status] ?? 'Bad request';
}
