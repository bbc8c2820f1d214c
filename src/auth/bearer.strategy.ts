import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy, type VerifyFunction } from 'passport-http-bearer';
import type { Principal } from './principal';
import { AccessTokens } from './services/access-tokens';
import { ApiTokensService } from './services/api-tokens.service';
import { Revocations } from './services/revocations';
import { UsersService } from './services/users.service';

/**
 * passport-http-bearer also takes `access_token` from the body and the query string (RFC 6750
 * §2.2, §2.3): tokens in URLs end up in logs and caches, and a parsed body can hand it a number or
 * an array. The library's parsing and challenge are kept; it only ever sees the Authorization header.
 */
type Request = Parameters<Strategy<VerifyFunction>['authenticate']>[0];

class HeaderBearerStrategy extends Strategy<VerifyFunction> {
  override authenticate(req: Request, options?: object): void {
    const authorization: unknown = req.headers?.authorization;
    const headers = typeof authorization === 'string' ? { authorization } : {};
    super.authenticate({ headers } as Request, options);
  }
}

/** One bearer scheme for people (JWT access tokens) and machines (`mlt_…` API tokens). */
@Injectable()
export class BearerStrategy extends PassportStrategy(HeaderBearerStrategy, 'bearer') {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly apiTokens: ApiTokensService,
    private readonly revocations: Revocations,
    private readonly users: UsersService,
  ) {
    super();
  }

  /** Returning false makes passport answer 401. */
  async validate(token: unknown): Promise<Principal | false> {
    if (typeof token !== 'string') return false;
    if (token.startsWith('mlt_')) return (await this.apiTokens.authenticate(token)) ?? false;
    let claims;
    try {
      claims = this.accessTokens.verify(token);
    } catch {
      return false;
    }
    if (this.revocations.isSessionRevoked(claims.sid)) return false;
    // Only tokens issued while a change was required ask the database, whose flag the change clears:
    // the same token works everywhere at once after the change, on every replica.
    const passwordChangeRequired = claims.pcr === true && (await this.users.isPasswordChangeRequired(claims.sub));
    return {
      kind: 'user',
      userId: claims.sub,
      email: claims.email,
      role: claims.role,
      sessionId: claims.sid,
      passwordChangeRequired,
    };
  }
}
