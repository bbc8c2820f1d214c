import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { AuthError, AuthErrorCode } from './auth.errors';
import { CsrfTokens } from './browser-session/csrf-tokens';
import { CSRF_COOKIE, cookieAccessToken, csrfHeader, isSafeMethod } from './browser-session/session-cookies';
import { ACCESS_RULE, IS_PUBLIC, OPEN_DURING_PASSWORD_CHANGE, type AccessRule } from './decorators/access.decorator';
import type { Principal } from './principal';

interface RouteRules {
  isPublic: boolean;
  rule: AccessRule | undefined;
  openDuringPasswordChange: boolean;
}

/**
 * The global guard: every endpoint needs a bearer token (or the browser session's cookie, with the
 * CSRF header on a state-changing request) unless marked @Public(); a user who must
 * change a reset password reaches only the endpoints marked @OpenDuringPasswordChange(); then the
 * endpoint's @Access rule decides by role (users) or scope (API tokens).
 */
@Injectable()
export class AuthGuard extends PassportGuard('bearer') {
  /** Each route's decorators, read once (metadata never changes after start), by class then handler:
   *  an inherited handler can sit in controllers with different class-level rules. */
  private readonly rules = new WeakMap<object, WeakMap<object, RouteRules>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly csrf: CsrfTokens,
  ) {
    super({ session: false, property: 'principal' });
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, rule, openDuringPasswordChange } = this.rulesOf(context);
    if (isPublic) return true;
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal: Principal }>();
    const { principal } = request;
    if (principal.kind === 'user') this.checkCsrf(request, principal.sessionId);
    if (principal.kind === 'user' && principal.passwordChangeRequired && !openDuringPasswordChange)
      throw new AuthError(
        AuthErrorCode.PASSWORD_CHANGE_REQUIRED,
        'An admin reset your password: change it first with POST /auth/password {"currentPassword": <the temporary password>, "newPassword": <yours>}; until then only POST /auth/password, GET /auth/me and POST /auth/logout answer',
      );
    if (!isAllowed(principal, rule)) throw new AuthError(AuthErrorCode.ACCESS_DENIED, denial(principal, rule));
    return true;
  }

  /** A browser adds cookies by itself, never headers: a cookie-authenticated change must echo the CSRF cookie. */
  private checkCsrf(request: FastifyRequest, sessionId: string): void {
    if (isSafeMethod(request.method) || !cookieAccessToken(request.headers, request.cookies)) return;
    if (!this.csrf.verify(sessionId, csrfHeader(request.headers), request.cookies[CSRF_COOKIE]))
      throw new AuthError(
        AuthErrorCode.CSRF_FAILED,
        'This request is authenticated by the session cookie: send X-CSRF-Token with the value of the mlapi_csrf cookie (or use a bearer token)',
      );
  }

  private rulesOf(context: ExecutionContext): RouteRules {
    const [handler, controller] = [context.getHandler(), context.getClass()];
    let byHandler = this.rules.get(controller);
    if (!byHandler) this.rules.set(controller, (byHandler = new WeakMap()));
    let rules = byHandler.get(handler);
    if (!rules) {
      const targets = [handler, controller];
      rules = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
        rule: this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets),
        openDuringPasswordChange:
          this.reflector.getAllAndOverride<boolean>(OPEN_DURING_PASSWORD_CHANGE, targets) === true,
      };
      byHandler.set(handler, rules);
    }
    return rules;
  }

  override handleRequest<T>(err: unknown, principal: T): T {
    if (err instanceof Error) throw err;
    if (!principal)
      throw new AuthError(AuthErrorCode.NOT_AUTHENTICATED, 'Missing, invalid, expired or revoked bearer token');
    return principal;
  }
}

export function isAllowed(principal: Principal, rule: AccessRule | undefined): boolean {
  if (principal.kind === 'token') return (rule?.scopes ?? []).some((s) => principal.scopes.includes(s));
  if (principal.role === 'admin' || !rule) return true;
  return (rule.roles ?? []).includes(principal.role);
}

/** Why a caller was turned away: what they are and what the endpoint needs. */
function denial(principal: Principal, rule: AccessRule | undefined): string {
  if (principal.kind === 'token') {
    const needs = rule?.scopes?.length
      ? `needs a token scope of: ${rule.scopes.join(', ')}`
      : 'is not open to API tokens';
    return `This API token's scopes (${principal.scopes.join(', ') || 'none'}) do not allow this endpoint: it ${needs}`;
  }
  return `The role ${principal.role} may not call this endpoint: it is open to ${['admin', ...(rule?.roles ?? [])].join(', ')}`;
}
