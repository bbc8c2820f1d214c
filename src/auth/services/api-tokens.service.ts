import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuthError, AuthErrorCode } from '../auth.errors';
import { EventBus } from '../../events';
import { ApiTokenEntity, type Scope } from '../entities/api-token.entity';
import { UserEntity } from '../entities/user.entity';
import type { Principal } from '../principal';
import { Lru } from '../../common/lru';
import { TokenRevoked } from '../token-revoked.event';
import { Revocations } from './revocations';
import { formatApiToken, hashSecret, newSecret, parseApiToken, sameHash } from './secret-tokens';

/** A checked token stays trusted this long without a database read; revocation clears it at once. */
const CACHE_MS = 60_000;
/** last_used_at is written at most this often per token, off the request path. */
const TOUCH_MS = 60_000;

interface CachedToken {
  row: ApiTokenEntity;
  /** The creator is disabled (or gone): a token acts for its creator, so it stops with them. */
  creatorDisabled: boolean;
  until: number;
  touchedAt: number;
}

@Injectable()
export class ApiTokensService implements OnModuleInit {
  private readonly logger = new Logger(ApiTokensService.name);
  private readonly cache = new Lru<string, CachedToken>(5_000);

  constructor(
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly revocations: Revocations,
    private readonly events: EventBus,
  ) {}

  onModuleInit(): void {
    this.events.subscribe(TokenRevoked, (event) => {
      if (event.kind === 'api-token') this.cache.delete(event.id);
      if (event.kind === 'user') this.forgetTokensOf(event.id);
    });
  }

  /** Returns the row and the secret, which is shown this once and never stored. */
  async create(input: { name: string; scopes: Scope[]; expiresAt?: Date }, createdBy: string) {
    const secret = newSecret();
    const row = await this.tokens.save(
      this.tokens.create({
        name: input.name,
        scopes: [...new Set(input.scopes)],
        tokenHash: hashSecret(secret),
        createdBy,
        expiresAt: input.expiresAt ?? null,
        revokedAt: null,
        lastUsedAt: null,
      }),
    );
    return { row, token: formatApiToken(row.id, secret) };
  }

  list(): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ order: { createdAt: 'DESC' } });
  }

  async revoke(id: string): Promise<void> {
    const result = await this.tokens.update({ id }, { revokedAt: new Date() });
    if (!result.affected) throw new AuthError(AuthErrorCode.API_TOKEN_NOT_FOUND, `API token ${id} not found`);
    await this.revocations.publish({ kind: 'api-token', id });
  }

  /**
   * The principal for a presented token, or null when it is unknown, revoked or expired; throws
   * (401 naming why) when its creator is disabled, since re-enabling them makes it work again.
   */
  async authenticate(presented: string): Promise<Principal | null> {
    const parsed = parseApiToken(presented);
    if (!parsed) return null;
    const now = Date.now();
    let entry = this.cache.get(parsed.id);
    if (!entry || entry.until < now) {
      const row = await this.tokens.findOneBy({ id: parsed.id });
      if (!row) return null;
      const creator = await this.users.findOne({
        select: { id: true, disabledAt: true },
        where: { id: row.createdBy },
      });
      const creatorDisabled = !creator || creator.disabledAt !== null;
      entry = { row, creatorDisabled, until: now + CACHE_MS, touchedAt: entry?.touchedAt ?? 0 };
      this.cache.set(parsed.id, entry);
    }
    const { row } = entry;
    if (!sameHash(row.tokenHash, hashSecret(parsed.secret))) return null;
    if (row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) return null;
    // Checked after the secret, so only the token's holder learns about its creator.
    if (entry.creatorDisabled)
      throw new AuthError(
        AuthErrorCode.API_TOKEN_CREATOR_DISABLED,
        'This API token was created by a user who is now disabled; it works again once they are enabled',
      );
    if (now - entry.touchedAt > TOUCH_MS) {
      entry.touchedAt = now;
      this.tokens
        .update({ id: row.id }, { lastUsedAt: new Date(now) })
        .catch((err: unknown) => this.logger.warn({ err }, 'could not record token use'));
    }
    return { kind: 'token', tokenId: row.id, name: row.name, scopes: row.scopes, createdBy: row.createdBy };
  }

  private forgetTokensOf(userId: string): void {
    for (const id of this.cache.keys()) if (this.cache.get(id)?.row.createdBy === userId) this.cache.delete(id);
  }
}
