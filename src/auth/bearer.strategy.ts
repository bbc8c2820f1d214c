import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { Principal } from './principal';
import { AccessTokens } from './services/access-tokens';
import { ApiTokensService } from './services/api-tokens.service';
import { Revocations } from './services/revocations';

/** One bearer scheme for people (JWT access tokens) and machines (`mlt_…` API tokens). */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly apiTokens: ApiTokensService,
    private readonly revocations: Revocations,
  ) {
    super();
  }

  /** Returning false makes passport answer 401. */
  async validate(token: string): Promise<Principal | false> {
    if (token.startsWith('mlt_')) return (await this.apiTokens.authenticate(token)) ?? false;
    let claims;
    try {
      claims = this.accessTokens.verify(token);
    } catch {
      return false;
    }
    if (this.revocations.isSessionRevoked(claims.sid)) return false;
    return { kind: 'user', userId: claims.sub, email: claims.email, role: claims.role, sessionId: claims.sid };
  }
}
