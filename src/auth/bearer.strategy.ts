import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy, type VerifyFunction } from 'passport-http-bearer';
import { cookieAccessToken } from './browser-session/session-cookies';
import type { Principal } from './principal';
import { ApiTokensService } from './services/api-tokens.service';
import { UserTokens } from './services/user-tokens';

/**
 * passport-http-bearer also takes `access_token` from the body and the query string (RFC 6750
 * §2.2, §2.3): tokens in URLs end up in logs and caches, and a parsed body can hand it a number or
 * an array. The library's parsing and challenge are kept; it only ever sees the Authorization
 * header, or, without one, the browser session's cookie as if it were that header (the guard then
 * asks the CSRF header of a state-changing request).
 */
type Request = Parameters<Strategy<VerifyFunction>['authenticate']>[0];

class HeaderBearerStrategy extends Strategy<VerifyFunction> {
  override authenticate(req: Request, options?: object): void {
    const authorization: unknown = req.headers?.authorization;
    const fromCookie = cookieAccessToken(req.headers ?? {}, (req as { cookies?: Record<string, string> }).cookies);
    const headers =
      typeof authorization === 'string'
        ? { authorization }
        : fromCookie
          ? { authorization: `Bearer ${fromCookie}` }
          : {};
    super.authenticate({ headers } as Request, options);
  }
}

/** One bearer scheme for people (JWT access tokens) and machines (`mlt_…` API tokens). */
@Injectable()
export class BearerStrategy extends PassportStrategy(HeaderBearerStrategy, 'bearer') {
  constructor(
    private readonly apiTokens: ApiTokensService,
    private readonly userTokens: UserTokens,
  ) {
    super();
  }

  /** Returning false makes passport answer 401. */
  async validate(token: unknown): Promise<Principal | false> {
    if (typeof token !== 'string') return false;
    if (token.startsWith('mlt_')) return (await this.apiTokens.authenticate(token)) ?? false;
    return (await this.userTokens.principalOf(token)) ?? false;
  }
}
