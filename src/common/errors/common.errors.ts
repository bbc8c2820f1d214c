import { HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorDetailInput } from './domain-error';

/** Codes every module may use: refusals that are not about one module's domain. */
export enum CommonErrorCode {
  /** The request's fields break their rules; `details` names each bad field (the ValidationPipe's answer too). */
  VALIDATION_FAILED = 'common.validation_failed',
  /** The body, query or path breaks a shape limit (depth, keys, values, string length); `details` names the limit. */
  BODY_TOO_COMPLEX = 'common.body_too_complex',
  /** PostgreSQL or Redis cannot be reached now; the message names which (`Retry-After` is set). */
  DEPENDENCY_UNAVAILABLE = 'common.dependency_unavailable',
}

export const COMMON_ERROR_STATUS: Record<CommonErrorCode, HttpStatus> = {
  [CommonErrorCode.VALIDATION_FAILED]: HttpStatus.UNPROCESSABLE_ENTITY,
  [CommonErrorCode.BODY_TOO_COMPLEX]: HttpStatus.UNPROCESSABLE_ENTITY,
  [CommonErrorCode.DEPENDENCY_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
};

export class CommonError extends DomainError<CommonErrorCode> {
  constructor(
    code: CommonErrorCode,
    message: string,
    details: ErrorDetailInput[] = [],
    headers: Record<string, string> = {},
  ) {
    super(code, message, details, headers);
  }
}

/** The one answer to bad fields, from a DTO or from a module's own check of them. */
export const validationFailed = (details: ErrorDetailInput[]) =>
  new CommonError(CommonErrorCode.VALIDATION_FAILED, 'Validation failed', details);

/** A request over one of the shape limits (src/common/input-limits.ts), refused before validation. */
export const bodyTooComplex = (detail: ErrorDetailInput & { limit: number }) =>
  new CommonError(
    CommonErrorCode.BODY_TOO_COMPLEX,
    `The request is too complex: ${detail.field || 'the body'} ${detail.message}`,
    [detail],
  );

/** What the app depends on to answer; each names itself in the 503 a request gets while it is down. */
export type Dependency = 'PostgreSQL' | 'Redis';

/** The field that the 503's one detail names for each dependency. */
export const DEPENDENCY_FIELD: Readonly<Record<Dependency, string>> = { PostgreSQL: 'database', Redis: 'redis' };

/** The one answer when a request needs PostgreSQL or Redis and cannot reach it: 503 naming it, at once. */
export const dependencyUnavailable = (dependency: Dependency, retryAfterSeconds = 5) =>
  new CommonError(
    CommonErrorCode.DEPENDENCY_UNAVAILABLE,
    `${dependency} is unavailable: try again in a few seconds`,
    [{ field: DEPENDENCY_FIELD[dependency], message: 'unreachable' }],
    { 'retry-after': String(retryAfterSeconds) },
  );
