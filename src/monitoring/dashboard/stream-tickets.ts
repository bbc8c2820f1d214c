import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { RedisService } from '../../redis/redis.service';

/** How long a ticket opens a stream: enough for a page to open it, too short to be worth stealing. */
export const TICKET_TTL_MS = 30_000;

/** Whom a ticket was given to: the stream is theirs, and ends with their session. */
export interface TicketHolder {
  userId: string;
  sessionId: string;
  role: string;
}

const holder = z.object({ userId: z.string(), sessionId: z.string(), role: z.string() });

/**
 * Stream tickets (docs/architecture.md, "The dashboard's live stream"). An `EventSource` cannot
 * send an Authorization header, and a long-lived token in a URL ends up in logs; so a signed-in
 * user trades their credentials for a random ticket, single use and valid 30 s, that the stream's
 * URL carries. Redis keeps only its SHA-256 (a full-entropy secret needs no slow hash), with the
 * holder; GETDEL makes redeeming atomic across replicas, so a ticket opens one stream at most.
 */
@Injectable()
export class StreamTickets {
  constructor(private readonly redis: RedisService) {}

  async issue(who: TicketHolder, now = Date.now()): Promise<{ ticket: string; expiresAt: string }> {
    const ticket = randomBytes(32).toString('base64url');
    await this.redis.client.set(this.keyOf(ticket), JSON.stringify(who), 'PX', TICKET_TTL_MS);
    return { ticket, expiresAt: new Date(now + TICKET_TTL_MS).toISOString() };
  }

  /** The holder, once: null for a ticket unknown, used or expired. */
  async redeem(ticket: string): Promise<TicketHolder | null> {
    const stored = await this.redis.client.getdel(this.keyOf(ticket));
    if (stored === null) return null;
    const parsed = holder.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  }

  private keyOf(ticket: string): string {
    return this.redis.key('dashboard', 'stream-ticket', createHash('sha256').update(ticket).digest('hex'));
  }
}
