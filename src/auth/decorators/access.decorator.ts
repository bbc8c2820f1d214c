import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorBody } from '../../common/errors/error-body';
import type { Scope } from '../entities/api-token.entity';
import type { Role } from '../entities/user.entity';

export const IS_PUBLIC = 'auth:isPublic';
export const ACCESS_RULE = 'auth:access';

export interface AccessRule {
  /** Users with one of these roles may call (admins always may). */
  roles?: Role[];
  /** API tokens with one of these scopes may call. */
  scopes?: Scope[];
}

/** No token needed. Every other endpoint requires one (global guard). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

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
      description: `Allowed: roles ${['admin', ...(rule.roles ?? [])].join(', ')}${rule.scopes?.length ? `; token scopes ${rule.scopes.join(', ')}` : ''}`,
    }),
  );

/** Any signed-in user (no API tokens). */
export const Authenticated = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorBody, description: 'Missing, invalid or expired token' }),
  );
