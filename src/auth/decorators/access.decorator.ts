import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorBody } from '../../common/errors/error-body';
import type { Scope } from '../entities/api-token.entity';
import type { Role } from '../entities/user.entity';

export const IS_PUBLIC = 'auth:isPublic';
export const ACCESS_RULE = 'auth:access';
export const OPEN_DURING_PASSWORD_CHANGE = 'auth:openDuringPasswordChange';

export interface AccessRule {
  /** Users with one of these roles may call (admins always may). */
  roles?: Role[];
  /** API tokens with one of these scopes may call. */
  scopes?: Scope[];
}

/** No token needed. Every other endpoint requires one (global guard). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

const CHANGE_FIRST =
  'A user whose password an admin set (POST /users) or reset gets auth.password_change_required here until they change it with POST /auth/password (only that, GET /auth/me and POST /auth/logout answer them).';

/**
 * One of the few endpoints a user whose password an admin reset may call before changing it (every
 * other one answers 403 `auth.password_change_required`).
 */
export const OpenDuringPasswordChange = () => SetMetadata(OPEN_DURING_PASSWORD_CHANGE, true);

/**
 * Who may call an endpoint. Without it any authenticated user may, and no API token
 * (tokens only reach endpoints that name one of their scopes).
 */
export const Access = (rule: AccessRule) =>
  applyDecorators(
    SetMetadata(ACCESS_RULE, rule),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorBody, description: 'Missing, invalid or expired token' }),
    ApiForbiddenResponse({
      type: ErrorBody,
      description: `Allowed: roles ${['admin', ...(rule.roles ?? [])].join(', ')}${rule.scopes?.length ? `; token scopes ${rule.scopes.join(', ')}` : ''}. ${CHANGE_FIRST}`,
    }),
  );

/** Any signed-in user (no API tokens). */
export const Authenticated = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorBody, description: 'Missing, invalid or expired token' }),
    ApiForbiddenResponse({
      type: ErrorBody,
      description: `Not open to API tokens (auth.access_denied): it is a person's endpoint. ${CHANGE_FIRST}`,
    }),
  );
