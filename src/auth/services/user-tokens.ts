import { Injectable } from '@nestjs/common';
import type { Principal } from '../principal';
import { AccessTokens } from './access-tokens';
import { Revocations } from './revocations';
import { UsersService } from './users.service';

/** A user's access JWT to the caller it names, or null (bad, expired or of a revoked session). */
@Injectable()
export class UserTokens {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly revocations: Revocations,
    private readonly users: UsersService,
  ) {}

  async principalOf(token: string): Promise<Extract<Principal, { kind: 'user' }> | null> {
    let claims;
    try {
      claims = this.accessTokens.verify(token);
    } catch {
      return null;
    }
    if (this.revocations.isSessionRevoked(claims.sid)) return null;
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
