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
  passwordChangeRequired: boolean;
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

  /** Starts a session for `user` as read when their password was verified. */
  async start(user: UserEntity, client: ClientInfo): Promise<TokenPair> {
    return this.db.transaction(async (tx) => {
      // Locked against a concurrent password change or reset: either its revocation sees this session,
      // or this sees the new password and refuses the one just verified.
      const current = await tx.findOne(UserEntity, { where: { id: user.id }, lock: { mode: 'pessimistic_read' } });
      if (!current || current.passwordHash !== user.passwordHash || current.disabledAt)
        throw new AuthError(AuthErrorCode.INVALID_CREDENTIALS, 'Invalid email or password');
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
      return this.issue(tx, session, current);
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

  /** The session a refresh token belongs to (used or not), without touching it; null when unknown. */
  async sessionOfRefreshToken(refreshToken: string): Promise<{ sessionId: string; userId: string } | null> {
    const token = await this.db.manager.findOneBy(RefreshTokenEntity, { tokenHash: hashSecret(refreshToken) });
    const session = token && (await this.sessions.findOneBy({ id: token.sessionId }));
    return session ? { sessionId: session.id, userId: session.userId } : null;
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
    await this.announce(await this.markAllRevoked(this.sessions.manager, userId, reason));
  }

  /**
   * Marks the user's active sessions revoked, all but `keep`, in the caller's transaction; returns
   * their ids, for `announce` once it commits.
   */
  async markAllRevoked(manager: EntityManager, userId: string, reason: string, keep?: string): Promise<string[]> {
    const query = manager
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: new Date(), revokedReason: reason })
      .where({ userId, revokedAt: IsNull() });
    if (keep) query.andWhere('id <> :keep', { keep });
    const result = await query.returning('id').execute();
    return (result.raw as { id: string }[]).map((r) => r.id);
  }

  /** Every replica drops these sessions' access tokens at once (TokenRevoked). */
  async announce(sessionIds: string[]): Promise<void> {
    for (const id of sessionIds) await this.revocations.publish({ kind: 'session', id });
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
    const { passwordChangeRequired } = user;
    const accessToken = this.accessTokens.sign({
      sub: user.id,
      email: user.email,
      role: user.role,
      sid: session.id,
      ...(passwordChangeRequired && { pcr: true as const }),
    });
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.ttlSeconds,
      sessionId: session.id,
      passwordChangeRequired,
    };
  }
}
