import { HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorDetailInput } from '../common/errors/domain-error';

/** Monitoring's own refusals; a bad rule or webhook field is `common.validation_failed`. */
export enum MonitoringErrorCode {
  ALERT_RULE_NOT_FOUND = 'monitoring.alert_rule_not_found',
  /** Rule and webhook names are unique. */
  ALERT_RULE_NAME_TAKEN = 'monitoring.alert_rule_name_taken',
  ALERT_NOT_FOUND = 'monitoring.alert_not_found',
  WEBHOOK_NOT_FOUND = 'monitoring.webhook_not_found',
  WEBHOOK_NAME_TAKEN = 'monitoring.webhook_name_taken',
  /** A monitoring read's `from`/`to`: not in order, or spanning too long. */
  INVALID_WINDOW = 'monitoring.invalid_window',
}

export const MONITORING_ERROR_STATUS: Record<MonitoringErrorCode, HttpStatus> = {
  [MonitoringErrorCode.ALERT_RULE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [MonitoringErrorCode.ALERT_RULE_NAME_TAKEN]: HttpStatus.CONFLICT,
  [MonitoringErrorCode.ALERT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [MonitoringErrorCode.WEBHOOK_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [MonitoringErrorCode.WEBHOOK_NAME_TAKEN]: HttpStatus.CONFLICT,
  [MonitoringErrorCode.INVALID_WINDOW]: HttpStatus.UNPROCESSABLE_ENTITY,
};

export class MonitoringError extends DomainError<MonitoringErrorCode> {
  constructor(code: MonitoringErrorCode, message: string, details: ErrorDetailInput[] = []) {
    super(code, message, details);
  }
}
