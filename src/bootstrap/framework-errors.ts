import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, normalise } from '../common/errors/http-error.filter';
import { ERROR_STATUSES } from './error-statuses';
import { HELMET_OPTIONS, securityHeaders } from './security-headers';

const HEADERS = securityHeaders(HELMET_OPTIONS);

/**
 * Fastify's `frameworkErrors`: what the router refuses before any hook or Nest filter runs (a path
 * parameter over `maxParamLength`, a malformed escape) answers the app's error body, with the
 * headers and request id the onRequest hook gives every other answer.
 */
export function sendFrameworkError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const normalised = normalise(error, ERROR_STATUSES);
  void reply
    .headers(HEADERS)
    .header('x-request-id', request.id)
    .status(normalised.status)
    .send(errorBody(normalised, request.id));
}
