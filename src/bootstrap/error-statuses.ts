import { AUTH_ERROR_STATUS } from '../auth';
import { COMMON_ERROR_STATUS } from '../common/errors/common.errors';
import type { ErrorStatuses } from '../common/errors/domain-error';
import { DATA_ERROR_STATUS } from '../data';
import { INFERENCE_ERROR_STATUS } from '../inference';
import { MONITORING_ERROR_STATUS } from '../monitoring';
import { REGISTRY_ERROR_STATUS } from '../registry';
import { TRAINING_ERROR_STATUS } from '../training';

/**
 * Every module's code → status table in one, for the global error filter. A module with error
 * codes adds its `*_ERROR_STATUS` here (error-statuses.spec.ts checks each enum is covered).
 */
export const ERROR_STATUSES: ErrorStatuses = Object.freeze({
  ...COMMON_ERROR_STATUS,
  ...AUTH_ERROR_STATUS,
  ...DATA_ERROR_STATUS,
  ...TRAINING_ERROR_STATUS,
  ...REGISTRY_ERROR_STATUS,
  ...INFERENCE_ERROR_STATUS,
  ...MONITORING_ERROR_STATUS,
});
