import { HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorDetailInput } from '../common/errors/domain-error';

/** Training's own refusals; a request that does not fit its dataset is `common.validation_failed`. */
export enum TrainingErrorCode {
  JOB_NOT_FOUND = 'training.job_not_found',
  /** Only a queued or running job can be cancelled. */
  JOB_ALREADY_ENDED = 'training.job_already_ended',
  /** A job is cancelled by whoever submitted it, or by an admin. */
  JOB_NOT_OWNED = 'training.job_not_owned',
}

export const TRAINING_ERROR_STATUS: Record<TrainingErrorCode, HttpStatus> = {
  [TrainingErrorCode.JOB_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [TrainingErrorCode.JOB_ALREADY_ENDED]: HttpStatus.CONFLICT,
  [TrainingErrorCode.JOB_NOT_OWNED]: HttpStatus.FORBIDDEN,
};

export class TrainingError extends DomainError<TrainingErrorCode> {
  constructor(
    code: TrainingErrorCode,
    message: string,
    details: ErrorDetailInput[] = [],
    headers: Record<string, string> = {},
  ) {
    super(code, message, details, headers);
  }
}
