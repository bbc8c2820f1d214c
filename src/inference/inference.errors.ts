import { HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorDetailInput } from '../common/errors/domain-error';

export enum InferenceErrorCode {
  /** The body is not a request of the protocol (wrong shape, unknown fields, no records...). */
  INVALID_REQUEST_BODY = 'inference.invalid_request_body',
  /** The records do not fit the model's signature; `details` names each record and feature. */
  INVALID_MODEL_INPUT = 'inference.invalid_model_input',
  /** Both `alias` and `version` given. */
  AMBIGUOUS_MODEL_REF = 'inference.ambiguous_model_ref',
  /** More records than INFERENCE_MAX_BATCH. */
  BATCH_TOO_LARGE = 'inference.batch_too_large',
  /** More records than one explained request may hold. */
  EXPLAIN_BATCH_TOO_LARGE = 'inference.explain_batch_too_large',
  REGISTRY_UNAVAILABLE = 'inference.registry_unavailable',
  /** A version's bundle cannot be loaded (corrupt, or another format); other versions are unaffected. */
  MODEL_UNLOADABLE = 'inference.model_unloadable',
  PREDICTION_NOT_FOUND = 'inference.prediction_not_found',
  INVALID_FEEDBACK_LABEL = 'inference.invalid_feedback_label',
  /** A prediction already has a different label from another caller; only its giver or an admin may change it. */
  FEEDBACK_CONFLICT = 'inference.feedback_conflict',
  /** Feedback for a buffered prediction waits until the log can be written. */
  PREDICTION_LOG_UNAVAILABLE = 'inference.prediction_log_unavailable',
  /** A read of the prediction log (PredictionReader) with a bad window, page or bucket; `details` names each field. */
  INVALID_LOG_READ = 'inference.invalid_log_read',
}

export const INFERENCE_ERROR_STATUS: Record<InferenceErrorCode, HttpStatus> = {
  [InferenceErrorCode.INVALID_REQUEST_BODY]: HttpStatus.UNPROCESSABLE_ENTITY,
  [InferenceErrorCode.INVALID_MODEL_INPUT]: HttpStatus.UNPROCESSABLE_ENTITY,
  [InferenceErrorCode.AMBIGUOUS_MODEL_REF]: HttpStatus.UNPROCESSABLE_ENTITY,
  [InferenceErrorCode.BATCH_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [InferenceErrorCode.EXPLAIN_BATCH_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [InferenceErrorCode.REGISTRY_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [InferenceErrorCode.MODEL_UNLOADABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [InferenceErrorCode.PREDICTION_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [InferenceErrorCode.INVALID_FEEDBACK_LABEL]: HttpStatus.UNPROCESSABLE_ENTITY,
  [InferenceErrorCode.FEEDBACK_CONFLICT]: HttpStatus.CONFLICT,
  [InferenceErrorCode.PREDICTION_LOG_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [InferenceErrorCode.INVALID_LOG_READ]: HttpStatus.UNPROCESSABLE_ENTITY,
};

export class InferenceError extends DomainError<InferenceErrorCode> {
  constructor(
    code: InferenceErrorCode,
    message: string,
    details: ErrorDetailInput[] = [],
    headers: Record<string, string> = {},
  ) {
    super(code, message, details, headers);
  }
}

/**
 * A version's bundle cannot be loaded (503): carries the version, so the request that met it is
 * counted as an `error` outcome of that version (the error-rate alert reads those counts).
 */
export class ModelUnloadableError extends InferenceError {
  constructor(
    readonly model: string,
    readonly version: number,
    reason: string,
  ) {
    super(InferenceErrorCode.MODEL_UNLOADABLE, `Model ${model} version ${version} cannot be loaded: ${reason}`);
  }
}

/** The body is not a request of its protocol. */
export const invalidBody = (message: string, details: ErrorDetailInput[]) =>
  new InferenceError(InferenceErrorCode.INVALID_REQUEST_BODY, message, details);
