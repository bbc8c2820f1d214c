import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bodyTooComplex, validationFailed } from './errors/common.errors';
import { findInputProblem } from './input-limits';

/**
 * Checks every request's path parameters, query and body against the shape limits and for NUL
 * characters, before guards, pipes and handlers (predict reads its body and name without the
 * validation pipe, so a pipe alone would miss them). Each part is walked once; a problem answers
 * 422: `common.body_too_complex` for a limit, `common.validation_failed` for a NUL, naming the field.
 */
export function registerInputGuard(fastify: FastifyInstance): void {
  // A callback hook, not an async one: predict is the hot path, and this saves it a promise.
  fastify.addHook('preValidation', (request: FastifyRequest, _reply, done) => {
    // Fields are named by their path: a parameter or query key as it is, a body field inside the body.
    for (const part of [request.params, request.query, request.body]) {
      const problem = findInputProblem(part);
      if (!problem) continue;
      const detail = { field: problem.field, message: problem.message };
      return done(
        problem.limit === undefined ? validationFailed([detail]) : bodyTooComplex({ ...detail, limit: problem.limit }),
      );
    }
    done();
  });
}
