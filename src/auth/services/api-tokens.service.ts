import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Registry } from 'prom-client';
import { Repository } from 'typeorm';
import { AuthError, AuthErrorCode } from '../auth.errors';
import { EventBus, EventsMissed } from '../../events';
import { ApiTokenEntity, type Scope } from '../entities/api-token.entity';
import { UserEntity } from '../entities/user.entity';
import type { Principal } from '../principal';
import { LastKnownGood, REFRESH_RETRY_MS, REFRESH_TIMEOUT_MS } from '../../common/last-known-good';
import { withTimeout } from '../../common/with-timeout';
import { Lru } from '../../common/lru';
import { AppConfig } from '../../config/app-config';
import { isQueryRefused } from '../../database/query-refused';
import { TokenRevoked } from '../token-revoked.event';
import { Revocations } from './revocations';
import { formatApiToken, hashSecret, newSecret, parseApiToken, sameHash } from './secret-tokens';

/** last_used_at is written at most this often per token, off the request path. */
const TOUCH_MS = 60_000;

interface CachedToken {
  row: ApiTokenEntity;
  /** The creator is disabled (or gone): a token acts for its creator, so it stops with them. */
  creatorDisabled: boolean;
  until: number;
  touchedAt: number;
  /** After a read that could not reach the database, the next is not tried before this. */
  retryAt?: number;
}

@Injectable()
export class ApiTokensService implements OnModuleInit {
  private readonly logger = new Logger(ApiTokensService.name);
  private readonly cache = new Lru<string, CachedToken>(5_000);
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly lastKnownGood: LastKnownGood;
  /** A checked token stays trusted this long without a database read; revocation clears it at once. */
  private readonly cacheMs: number;
  /** Bumped by every revocation event, so a read that started before one is not cached. */
  private generation = 0;

  constructor(
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly revocations: Revocations,
    private readonly events: EventBus,
    config: AppConfig,
    registry: Registry,
  ) {
    this.cacheMs = config.env.API_TOKEN_CACHE_MS;
    this.lastKnownGood = new LastKnownGood('api-token', config.env.SERVE_STALE_MAX_MS, this.logger, registry);
  }

  onModuleInit(): void {
    this.events.subscribe(TokenRevoked, (event) => {
      this.generation++;
      if (event.kind === 'api-token') this.cache.delete(event.id);
      if (event.kind === 'user') this.forgetTokensOf(event.id);
    });
    // A revocation may have been missed (Redis was down): every token is read again at its next use.
    this.events.subscribe(EventsMissed, () => {
      this.generation++;
      const now = Date.now();
      for (const id of this.cache.keys()) {
        const entry = this.cache.get(id);
        if (entry) entry.until = Math.min(entry.until, now);
      }
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
    if (entry && entry.until < now && this.lastKnownGood.usable(entry.until, now)) {
      // Past its freshness: still trusted while it is read again off the request path (and, while
      // the database is unreachable, up to SERVE_STALE_MAX_MS); revocations clear it at once.
      this.refresh(parsed.id, entry);
      this.lastKnownGood.served(entry.until, now);
    } else if (!entry || entry.until < now) {
      const read = await this.read(parsed.id, entry?.touchedAt ?? 0);
      if (!read) return null;
      entry = read;
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

  /** The token's row and its creator's state, cached; null for an unknown token. */
  private async read(id: string, touchedAt: number): Promise<CachedToken | null> {
    const generation = this.generation;
    const row = await this.tokens.findOneBy({ id });
    if (!row) return null;
    const creator = await this.users.findOne({ select: { id: true, disabledAt: true }, where: { id: row.createdBy } });
    const creatorDisabled = !creator || creator.disabledAt !== null;
    const entry = { row, creatorDisabled, until: Date.now() + this.cacheMs, touchedAt };
    // A revocation heard while this read ran may be newer than what it read: not cached then.
    if (generation === this.generation) this.cache.set(id, entry);
    return entry;
  }

  /** One background read of a token at a time; while the database is unreachable, at most once a second. */
  private refresh(id: string, entry: CachedToken): void {
    if (this.refreshing.has(id) || (entry.retryAt ?? 0) > Date.now()) return;
    const reading = withTimeout(this.read(id, entry.touchedAt), REFRESH_TIMEOUT_MS)
      .then(
        (fresh) => {
          this.lastKnownGood.refreshed();
          if (!fresh) this.cache.delete(id);
        },
        (err: unknown) => {
          if (isQueryRefused(err)) return void this.cache.delete(id); // a bug, not an outage: the next request reads it
          this.lastKnownGood.refreshFailed(err);
          entry.retryAt = Date.now() + REFRESH_RETRY_MS;
        },
      )
      .finally(() => this.refreshing.delete(id));
    this.refreshing.set(id, reading);
  }

  private forgetTokensOf(userId: string): void {
    for (const id of this.cache.keys()) if (this.cache.get(id)?.row.createdBy === userId) this.cache.delete(id);
  }
}
