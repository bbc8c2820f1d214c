import { HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorDetailInput } from '../common/errors/domain-error';

export enum AuthErrorCode {
  /** No valid bearer token (missing, invalid, expired or revoked). */
  NOT_AUTHENTICATED = 'auth.not_authenticated',
  /** The caller's role or token scopes do not allow the endpoint. */
  ACCESS_DENIED = 'auth.access_denied',
  /** The endpoint is about a person (sessions, profile); an API token has none. */
  USER_TOKEN_REQUIRED = 'auth.user_token_required',
  INVALID_CREDENTIALS = 'auth.invalid_credentials',
  TOO_MANY_LOGIN_ATTEMPTS = 'auth.too_many_login_attempts',
  /** Unknown, used again (which revokes its session) or of an ended session. */
  REFRESH_TOKEN_REJECTED = 'auth.refresh_token_rejected',
  REGISTRATION_CLOSED = 'auth.registration_closed',
  USER_NOT_FOUND = 'auth.user_not_found',
  EMAIL_TAKEN = 'auth.email_taken',
  /** An admin may not disable or demote themselves (there could be no admin left). */
  SELF_DEMOTION_REFUSED = 'auth.self_demotion_refused',
  SESSION_NOT_FOUND = 'auth.session_not_found',
  API_TOKEN_NOT_FOUND = 'auth.api_token_not_found',
  /** The API token is valid, but the user who created it is disabled. */
  API_TOKEN_CREATOR_DISABLED = 'auth.api_token_creator_disabled',
  /** An admin reset the password: only POST /auth/password, GET /auth/me and POST /auth/logout answer until it is changed. */
  PASSWORD_CHANGE_REQUIRED = 'auth.password_change_required',
  /** Admins change their own password with POST /auth/password, which asks for the current one. */
  OWN_PASSWORD_RESET_REFUSED = 'auth.own_password_reset_refused',
  /** A request authenticated by the session cookie, other than GET/HEAD/OPTIONS, without the matching X-CSRF-Token. */
  CSRF_FAILED = 'auth.csrf_failed',
}

export const AUTH_ERROR_STATUS: Record<AuthErrorCode, HttpStatus> = {
  [AuthErrorCode.NOT_AUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.ACCESS_DENIED]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.USER_TOKEN_REQUIRED]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.INVALID_CREDENTIALS]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.TOO_MANY_LOGIN_ATTEMPTS]: HttpStatus.TOO_MANY_REQUESTS,
  [AuthErrorCode.REFRESH_TOKEN_REJECTED]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.REGISTRATION_CLOSED]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.USER_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [AuthErrorCode.EMAIL_TAKEN]: HttpStatus.CONFLICT,
  [AuthErrorCode.SELF_DEMOTION_REFUSED]: HttpStatus.CONFLICT,
  [AuthErrorCode.SESSION_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [AuthErrorCode.API_TOKEN_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [AuthErrorCode.API_TOKEN_CREATOR_DISABLED]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.PASSWORD_CHANGE_REQUIRED]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.OWN_PASSWORD_RESET_REFUSED]: HttpStatus.CONFLICT,
  [AuthErrorCode.CSRF_FAILED]: HttpStatus.FORBIDDEN,
};

export class AuthError extends DomainError<AuthErrorCode> {
  constructor(
    code: AuthErrorCode,
    message: string,
    details: ErrorDetailInput[] = [],
    headers: Record<string, string> = {},
  ) {
    super(code, message, details, headers);
  }
}
