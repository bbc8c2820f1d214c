import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { validationFailed } from '../../common/errors/common.errors';
import { AuthError, AuthErrorCode } from '../auth.errors';
import { UserEntity } from '../entities/user.entity';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';

/** 144 random bits: a temporary password no one chose, so no one can guess it. */
const TEMPORARY_PASSWORD_BYTES = 18;

/**
 * Changing one's own password and an admin's reset. Both set the new hash and end sessions in one
 * transaction, then tell every replica (TokenRevoked); the log says what happened, never a password.
 */
@Injectable()
export class PasswordsService {
  private readonly logger = new Logger(PasswordsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * The current password is checked as a login checks it (same throttle, same 401), so this cannot
   * be used to guess it. Every other session of the user ends; the calling one goes on, its refresh
   * token included: it has just proved the password.
   */
  async change(caller: { userId: string; sessionId: string }, current: string, next: string, ip: string) {
    if (next === current)
      throw validationFailed([{ field: 'newPassword', message: 'must differ from currentPassword' }]);
    const user = await this.users.get(caller.userId);
    const verified = await this.throttle.check(ip, user.email, async () =>
      (await this.hasher.verify(user.passwordHash, current)) ? user : null,
    );
    // Written only over the hash just verified: of two changes that race, one wins and the other is refused.
    const ended =
      verified &&
      (await this.setPassword(user.id, await this.hasher.hash(next), false, {
        ifHash: user.passwordHash,
        keep: caller.sessionId,
      }));
    if (!ended) {
      this.logger.warn({ userId: user.id }, 'password change refused: wrong current password');
      throw new AuthError(AuthErrorCode.INVALID_CREDENTIALS, 'The current password is wrong (currentPassword)', [
        { field: 'currentPassword', message: 'is not the password of this account' },
      ]);
    }
    this.logger.log({ userId: user.id, sessionsEnded: ended.length }, 'password changed; the other sessions ended');
  }

  /**
   * Sets a random temporary password, ends every session of the user and makes them change it at
   * their next login. Returns the password, which is shown once and never stored.
   */
  async reset(userId: string, actorId: string): Promise<{ user: UserEntity; temporaryPassword: string }> {
    if (userId === actorId)
      throw new AuthError(
        AuthErrorCode.OWN_PASSWORD_RESET_REFUSED,
        'Admins change their own password with POST /auth/password (with the current one), not with a reset',
      );
    const user = await this.users.get(userId);
    const temporaryPassword = randomBytes(TEMPORARY_PASSWORD_BYTES).toString('base64url');
    const ended = await this.setPassword(user.id, await this.hasher.hash(temporaryPassword), true);
    this.logger.log(
      { userId, by: actorId, sessionsEnded: ended?.length },
      'password reset by an admin; the user must change it at next login',
    );
    return { user: await this.users.get(userId), temporaryPassword };
  }

  /**
   * The new hash and flag, and the end of the user's sessions but `keep`, in one transaction; returns
   * the sessions ended, or null (nothing written) when the stored hash is not `ifHash`.
   */
  private async setPassword(
    userId: string,
    passwordHash: string,
    changeRequired: boolean,
    { ifHash, keep }: { ifHash?: string; keep?: string } = {},
  ): Promise<string[] | null> {
    const ended = await this.db.transaction(async (tx) => {
      const { affected } = await tx.update(
        UserEntity,
        { id: userId, ...(ifHash !== undefined && { passwordHash: ifHash }) },
        { passwordHash, passwordChangeRequired: changeRequired, passwordChangedAt: new Date() },
      );
      if (!affected) return null;
      const reason = changeRequired ? 'password reset by an admin' : 'password changed';
      return this.sessions.markAllRevoked(tx, userId, reason, keep);
    });
    if (ended) await this.sessions.announce(ended);
    return ended;
  }
}
