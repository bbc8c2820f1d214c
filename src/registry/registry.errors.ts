import { HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorDetailInput } from '../common/errors/domain-error';

export enum RegistryErrorCode {
  MODEL_NOT_FOUND = 'registry.model_not_found',
  VERSION_NOT_FOUND = 'registry.version_not_found',
  ALIAS_NOT_FOUND = 'registry.alias_not_found',
  EXPERIMENT_NOT_FOUND = 'registry.experiment_not_found',
  RUN_NOT_FOUND = 'registry.run_not_found',
  ARTIFACT_NOT_FOUND = 'registry.artifact_not_found',
  /** The artifact row exists but its store has no bytes under its key. */
  ARTIFACT_DATA_MISSING = 'registry.artifact_data_missing',
  INVALID_MODEL_NAME = 'registry.invalid_model_name',
  INVALID_ALIAS_NAME = 'registry.invalid_alias_name',
  /** What a run was to log breaks the tracking rules: key names, parameter or metric values, step, artifact name. */
  INVALID_RUN_INPUT = 'registry.invalid_run_input',
  INVALID_RUN_SEARCH = 'registry.invalid_run_search',
  PARAMS_IMMUTABLE = 'registry.params_immutable',
  RUN_ENDED = 'registry.run_ended',
  MIRROR_DISABLED = 'registry.mirror_disabled',
  /** The run a new version is to come from does not exist (a body field, hence not a 404). */
  UNKNOWN_RUN = 'registry.unknown_run',
  RUN_NOT_FINISHED = 'registry.run_not_finished',
  RUN_HAS_NO_BUNDLE = 'registry.run_has_no_bundle',
  /** A version still holding an alias cannot be deleted. */
  VERSION_HOLDS_ALIAS = 'registry.version_holds_alias',
  /** The version an alias is to move to does not exist (a body field, hence not a 404). */
  UNKNOWN_VERSION = 'registry.unknown_version',
  FORCE_NEEDS_ADMIN = 'registry.force_needs_admin',
  /** The quality gate refused the alias move; `details` holds the gate's reasons. */
  QUALITY_GATE_REFUSED = 'registry.quality_gate_refused',
}

export const REGISTRY_ERROR_STATUS: Record<RegistryErrorCode, HttpStatus> = {
  [RegistryErrorCode.MODEL_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [RegistryErrorCode.VERSION_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [RegistryErrorCode.ALIAS_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [RegistryErrorCode.EXPERIMENT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [RegistryErrorCode.RUN_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [RegistryErrorCode.ARTIFACT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [RegistryErrorCode.ARTIFACT_DATA_MISSING]: HttpStatus.NOT_FOUND,
  [RegistryErrorCode.INVALID_MODEL_NAME]: HttpStatus.UNPROCESSABLE_ENTITY,
  [RegistryErrorCode.INVALID_ALIAS_NAME]: HttpStatus.UNPROCESSABLE_ENTITY,
  [RegistryErrorCode.INVALID_RUN_INPUT]: HttpStatus.UNPROCESSABLE_ENTITY,
  [RegistryErrorCode.INVALID_RUN_SEARCH]: HttpStatus.UNPROCESSABLE_ENTITY,
  [RegistryErrorCode.PARAMS_IMMUTABLE]: HttpStatus.CONFLICT,
  [RegistryErrorCode.RUN_ENDED]: HttpStatus.CONFLICT,
  [RegistryErrorCode.MIRROR_DISABLED]: HttpStatus.CONFLICT,
  [RegistryErrorCode.UNKNOWN_RUN]: HttpStatus.UNPROCESSABLE_ENTITY,
  [RegistryErrorCode.RUN_NOT_FINISHED]: HttpStatus.CONFLICT,
  [RegistryErrorCode.RUN_HAS_NO_BUNDLE]: HttpStatus.UNPROCESSABLE_ENTITY,
  [RegistryErrorCode.VERSION_HOLDS_ALIAS]: HttpStatus.CONFLICT,
  [RegistryErrorCode.UNKNOWN_VERSION]: HttpStatus.UNPROCESSABLE_ENTITY,
  [RegistryErrorCode.FORCE_NEEDS_ADMIN]: HttpStatus.FORBIDDEN,
  [RegistryErrorCode.QUALITY_GATE_REFUSED]: HttpStatus.UNPROCESSABLE_ENTITY,
};

export class RegistryError extends DomainError<RegistryErrorCode> {
  constructor(
    code: RegistryErrorCode,
    message: string,
    details: ErrorDetailInput[] = [],
    headers: Record<string, string> = {},
  ) {
    super(code, message, details, headers);
  }
}

const NOT_FOUND_CODES: ReadonlySet<RegistryErrorCode> = new Set([
  RegistryErrorCode.MODEL_NOT_FOUND,
  RegistryErrorCode.VERSION_NOT_FOUND,
  RegistryErrorCode.ALIAS_NOT_FOUND,
  RegistryErrorCode.ARTIFACT_NOT_FOUND,
  RegistryErrorCode.ARTIFACT_DATA_MISSING,
]);

/** The registry does not hold what was asked for (a model, a version, an alias or a version's bundle). */
export function isRegistryNotFound(err: unknown): err is RegistryError {
  return err instanceof RegistryError && NOT_FOUND_CODES.has(err.code);
}
