import { z } from 'zod';
import { defineEvent } from '../events';

export type RevocationEvent = { kind: 'session'; id: string } | { kind: 'api-token'; id: string };

/** A session or API token was revoked: every replica must stop accepting it at once. */
export const TokenRevoked = defineEvent<RevocationEvent>('auth.revoked', {
  scope: 'cluster',
  schema: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('session'), id: z.string() }),
    z.object({ kind: z.literal('api-token'), id: z.string() }),
  ]),
});
