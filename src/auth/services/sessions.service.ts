import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository, type EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AuthError, AuthErrorCode } from '../auth.errors';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';
import { SessionEntity } from '../entities/session.entity';
import { UserEntity } from '../entities/user.entity';
import { AccessTokens } from './access-tokens';
import { Revocations } from './revocations';
import { hashSecret, newSecret } from './secret-tokens';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  sessionId: string;
}

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

/**
 * Sessions are refresh-token families. A refresh token works once and is replaced (rotation);
 * presenting a used one means it was stolen or replayed, so the whole family is revoked.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    private readonly accessTokens: AccessTokens,
    private readonly revocations: Revocations,
    private readonly config: AppConfig,
  ) {}

  async start(user: UserEntity, client: ClientInfo): Promise<TokenPair> {
    return this.db.transaction(async (tx) => {
      const now = new Date();
      const session = await tx.save(
        tx.create(SessionEntity, {
          userId: user.id,
          lastUsedAt: now,
          expiresAt: new Date(now.getTime() + this.config.env.REFRESH_TTL_SECONDS * 1000),
          revokedAt: null,
          revokedReason: null,
          ip: client.ip ?? null,
          userAgent: client.userAgent?.slice(0, 500) ?? null,
        }),
      );
      return this.issue(tx, session, user);
    });
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const outcome = await this.db.transaction(async (tx) => {
      const token = await tx.findOne(RefreshTokenEntity, {
        where: { tokenHash: hashSecret(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!token) return { error: 'Invalid refresh token' } as const;
      const session = await tx.findOneBy(SessionEntity, { id: token.sessionId });
      const user = session && (await tx.findOneBy(UserEntity, { id: session.userId }));
      if (!session || !user || session.revokedAt || session.expiresAt < new Date() || user.disabledAt) {
        return { error: 'Session expired or revoked' } as const;
      }
      if (token.usedAt) {
        await this.markRevoked(tx, session.id, 'refresh token reused');
        return { error: 'Refresh token already used; the session has been revoked', revoked: session.id } as const;
      }
      token.usedAt = new Date();
      await tx.save(token);
      session.lastUsedAt = new Date();
      await tx.save(session);
      return { pair: await this.issue(tx, session, user) } as const;
    });
    if ('pair' in outcome && outcome.pair) return outcome.pair;
    // The revocation must commit even though the caller gets a 401, hence outside the transaction.
    if ('revoked' in outcome && outcome.revoked)
      await this.revocations.publish({ kind: 'session', id: outcome.revoked });
    throw new AuthError(
      AuthErrorCode.REFRESH_TOKEN_REJECTED,
      'error' in outcome ? outcome.error : 'Invalid refresh token',
    );
  }

  listActive(userId: string): Promise<SessionEntity[]> {
    return this.sessions.find({ where: { userId, revokedAt: IsNull() }, order: { lastUsedAt: 'DESC' } });
  }

  /** Revokes one of the user's own sessions (404 for anybody else's: no probing of ids). */
  async revoke(userId: string, sessionId: string, reason: string): Promise<void> {
    const session = await this.sessions.findOneBy({ id: sessionId, userId });
    if (!session) throw new AuthError(AuthErrorCode.SESSION_NOT_FOUND, `Session ${sessionId} not found`);
    if (!session.revokedAt) await this.markRevoked(this.sessions.manager, sessionId, reason);
    await this.revocations.publish({ kind: 'session', id: sessionId });
  }

  async revokeAllOf(userId: string, reason: string): Promise<void> {
    const active = await this.listActive(userId);
    for (const s of active) {
      await this.markRevoked(this.sessions.manager, s.id, reason);
      await this.revocations.publish({ kind: 'session', id: s.id });
    }
  }

  private async markRevoked(manager: EntityManager, sessionId: string, reason: string): Promise<void> {
    await manager.update(
      SessionEntity,
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
  }

  private async issue(tx: EntityManager, session: SessionEntity, user: UserEntity): Promise<TokenPair> {
    const refreshToken = newSecret();
    await tx.insert(RefreshTokenEntity, { sessionId: session.id, tokenHash: hashSecret(refreshToken), usedAt: null });
    const accessToken = this.accessTokens.sign({ sub: user.id, email: user.email, role: user.role, sid: session.id });
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.ttlSeconds,
      sessionId: session.id,
    };
  }
}
