import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { EventBus, EventsMissed } from '../../events';
import { SessionEntity } from '../entities/session.entity';
import { TokenRevoked, type RevocationEvent } from '../token-revoked.event';

/**
 * What every replica must forget at once: revoked sessions (whose access tokens are still
 * unexpired) and revoked API tokens (cached). Checked in memory on every request instead of a
 * database round-trip; spread to all replicas as TokenRevoked; rebuilt from PostgreSQL at start
 * (sessions revoked within one access-token lifetime).
 */
@Injectable()
export class Revocations implements OnApplicationBootstrap {
  private readonly logger = new Logger(Revocations.name);
  /** session id -> when its last access token expires (ms); then the entry is useless. */
  private readonly sessions = new Map<string, number>();

  constructor(
    private readonly config: AppConfig,
    private readonly events: EventBus,
    @InjectRepository(SessionEntity) private readonly sessionsRepo: Repository<SessionEntity>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.events.subscribe(TokenRevoked, (event) => {
      if (event.kind === 'session') this.remember(event.id);
    });
    // Revocations sent while Redis was down never arrived: read them from PostgreSQL again.
    this.events.subscribe(EventsMissed, () =>
      this.loadRecent().catch((err: unknown) =>
        this.logger.warn({ err: (err as Error).message }, 'could not reload session revocations'),
      ),
    );
    await this.loadRecent();
  }

  /** Sessions revoked within one access-token lifetime (older ones have no live access token). */
  private async loadRecent(): Promise<void> {
    const since = new Date(Date.now() - this.config.env.JWT_ACCESS_TTL_SECONDS * 1000);
    const recent = await this.sessionsRepo.find({ select: { id: true }, where: { revokedAt: MoreThan(since) } });
    for (const s of recent) this.remember(s.id);
    this.logger.log({ sessions: recent.length }, 'loaded recent session revocations');
  }

  isSessionRevoked(sessionId: string): boolean {
    const until = this.sessions.get(sessionId);
    if (until === undefined) return false;
    if (until < Date.now()) {
      this.sessions.delete(sessionId);
      return false;
    }
    return true;
  }

  /** Applies here at once (every TokenRevoked handler of this process), then tells every other replica. */
  async publish(event: RevocationEvent): Promise<void> {
    await this.events.publish(TokenRevoked, event);
  }

  private remember(sessionId: string): void {
    this.sessions.set(sessionId, Date.now() + this.config.env.JWT_ACCESS_TTL_SECONDS * 1000);
  }
}
