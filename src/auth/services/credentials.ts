import { Injectable } from '@nestjs/common';
import { AuthError, AuthErrorCode } from '../auth.errors';
import type { UserEntity } from '../entities/user.entity';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { UsersService } from './users.service';

/** The password check of every login (API and browser): same throttle, same answer, same time. */
@Injectable()
export class Credentials {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
  ) {}

  async verify(ip: string, email: string, password: string): Promise<UserEntity> {
    const user = await this.throttle.check(ip, email, async () => {
      const found = await this.users.findByEmail(email);
      // Always verify (against a dummy hash when the email is unknown): same answer, same time.
      const valid = await this.hasher.verify(found?.passwordHash, password);
      return found && valid && !found.disabledAt ? found : null;
    });
    if (!user) throw new AuthError(AuthErrorCode.INVALID_CREDENTIALS, 'Invalid email or password');
    return user;
  }
}
