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
  /** A window whose `from` is not before its `to`, or that starts in the future. */
  WINDOW_INVALID = 'monitoring.window_invalid',
  /** A window (or a baseline) longer than MONITORING_WINDOW_MAX_DAYS, or a read range beyond its cap. */
  WINDOW_TOO_LONG = 'monitoring.window_too_long',
  /** A feature the version's reference profile does not have. */
  FEATURE_NOT_FOUND = 'monitoring.feature_not_found',
  /** A dashboard stream's ticket missing, unknown, used, expired, or of a session that ended. */
  STREAM_TICKET_INVALID = 'monitoring.stream_ticket_invalid',
  /** This replica has as many dashboard streams open as it takes. */
  STREAMS_FULL = 'monitoring.streams_full',
}

export const MONITORING_ERROR_STATUS: Record<MonitoringErrorCode, HttpStatus> = {
  [MonitoringErrorCode.ALERT_RULE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [MonitoringErrorCode.ALERT_RULE_NAME_TAKEN]: HttpStatus.CONFLICT,
  [MonitoringErrorCode.ALERT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [MonitoringErrorCode.WEBHOOK_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [MonitoringErrorCode.WEBHOOK_NAME_TAKEN]: HttpStatus.CONFLICT,
  [MonitoringErrorCode.WINDOW_INVALID]: HttpStatus.UNPROCESSABLE_ENTITY,
  [MonitoringErrorCode.WINDOW_TOO_LONG]: HttpStatus.UNPROCESSABLE_ENTITY,
  [MonitoringErrorCode.FEATURE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [MonitoringErrorCode.STREAM_TICKET_INVALID]: HttpStatus.UNAUTHORIZED,
  [MonitoringErrorCode.STREAMS_FULL]: HttpStatus.SERVICE_UNAVAILABLE,
};

export class MonitoringError extends DomainError<MonitoringErrorCode> {
  constructor(code: MonitoringErrorCode, message: string, details: ErrorDetailInput[] = []) {
    super(code, message, details);
  }
}
