import { z } from 'zod';
import { defineEvent } from '../events';

/**
 * `user`: a user was disabled or enabled again; the API tokens they created follow their state, so
 * every replica forgets its cached check of those tokens.
 */
export type RevocationEvent =
  { kind: 'session'; id: string } | { kind: 'api-token'; id: string } | { kind: 'user'; id: string };

/** A session or API token was revoked, or a token creator's state changed: every replica must act at once. */
export const TokenRevoked = defineEvent<RevocationEvent>('auth.revoked', {
  scope: 'cluster',
  schema: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('session'), id: z.string() }),
    z.object({ kind: z.literal('api-token'), id: z.string() }),
    z.object({ kind: z.literal('user'), id: z.string() }),
  ]),
});
