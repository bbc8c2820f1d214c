import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AuthError, AuthErrorCode } from '../auth.errors';
import { UserEntity, type Role } from '../entities/user.entity';
import { PasswordHasher } from './password-hasher';
import { Revocations } from './revocations';
import { SessionsService } from './sessions.service';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly revocations: Revocations,
    private readonly config: AppConfig,
  ) {}

  /** First admin from ADMIN_EMAIL/ADMIN_PASSWORD, only while no admin exists. */
  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config.env;
    if (!email || !password) return;
    const created = await this.ensureAdmin(email, password);
    if (created) this.logger.log({ email: created.email }, 'created the first admin from the environment');
  }

  /** Creates an admin unless one exists; returns it when created. */
  async ensureAdmin(email: string, password: string): Promise<UserEntity | null> {
    if (await this.users.exists({ where: { role: 'admin', disabledAt: IsNull() } })) return null;
    return this.create(email, password, 'admin');
  }

  /**
   * `passwordChangeRequired`: the user must change the password at first login, as after an admin's
   * reset (an admin chose it, so it is not the user's secret alone); off for self-registration, the
   * first admin (the operator's choice) and service accounts an admin opts out for.
   */
  async create(
    email: string,
    password: string,
    role: Role,
    { passwordChangeRequired = false }: { passwordChangeRequired?: boolean } = {},
  ): Promise<UserEntity> {
    const user = this.users.create({
      email: email.toLowerCase(),
      passwordHash: await this.hasher.hash(password),
      role,
      disabledAt: null,
      passwordChangeRequired,
    });
    try {
      return await this.users.save(user);
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION)
        throw new AuthError(AuthErrorCode.EMAIL_TAKEN, `A user with email ${user.email} already exists`);
      throw err;
    }
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  async get(id: string): Promise<UserEntity> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new AuthError(AuthErrorCode.USER_NOT_FOUND, `User ${id} not found`);
    return user;
  }

  /** Read on each request of a token issued while a change was required (rare, and only until it is changed). */
  async isPasswordChangeRequired(id: string): Promise<boolean> {
    const user = await this.users.findOne({ select: { id: true, passwordChangeRequired: true }, where: { id } });
    return user?.passwordChangeRequired !== false;
  }

  list(limit: number, offset: number): Promise<[UserEntity[], number]> {
    return this.users.findAndCount({ order: { createdAt: 'ASC' }, take: limit, skip: offset });
  }

  /** Role changes and disabling end every session (tokens carry the role); disabling also stops their API tokens. */
  async update(id: string, changes: { role?: Role; disabled?: boolean }, actorId: string): Promise<UserEntity> {
    const user = await this.get(id);
    if (id === actorId && (changes.disabled === true || (changes.role && changes.role !== 'admin'))) {
      throw new AuthError(
        AuthErrorCode.SELF_DEMOTION_REFUSED,
        'Admins cannot disable or demote themselves; ask another admin',
      );
    }
    const roleChanged = changes.role !== undefined && changes.role !== user.role;
    const disabling = changes.disabled === true && user.disabledAt === null;
    const enabling = changes.disabled === false && user.disabledAt !== null;
    if (changes.role) user.role = changes.role;
    if (changes.disabled !== undefined) user.disabledAt = changes.disabled ? (user.disabledAt ?? new Date()) : null;
    const saved = await this.users.save(user);
    if (roleChanged || disabling)
      await this.sessions.revokeAllOf(user.id, disabling ? 'user disabled' : 'role changed');
    // The API tokens they created follow their state on every replica (each caches its checks).
    if (disabling || enabling) await this.revocations.publish({ kind: 'user', id: user.id });
    return saved;
  }
}
