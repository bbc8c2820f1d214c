import { HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorDetailInput } from './domain-error';

/** Codes every module may use: refusals that are not about one module's domain. */
export enum CommonErrorCode {
  /** The request's fields break their rules; `details` names each bad field (the ValidationPipe's answer too). */
  VALIDATION_FAILED = 'common.validation_failed',
}

export const COMMON_ERROR_STATUS: Record<CommonErrorCode, HttpStatus> = {
  [CommonErrorCode.VALIDATION_FAILED]: HttpStatus.UNPROCESSABLE_ENTITY,
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
