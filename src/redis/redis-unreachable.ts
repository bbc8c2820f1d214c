import { ReplyError } from 'ioredis';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors';

/**
 * What ioredis rejects a command with when Redis cannot take it: the connection closed for good,
 * or not connected with the offline queue off (the app's command client). Exact texts: pg's
 * messages never match them (src/database/postgres-unreachable.ts).
 */
const CONNECTION_MESSAGES = new Set([
  'Connection is closed.',
  "Stream isn't writeable and enableOfflineQueue options is false",
]);

/** Replies by which a reachable Redis says it cannot serve now (loading its data, replica without master). */
const UNAVAILABLE_REPLIES = /^(LOADING|MASTERDOWN|TRYAGAIN) /;

/**
 * True when an error means Redis cannot be reached now: a command that ran out of reconnection
 * attempts (`MaxRetriesPerRequestError`), found no connection, or got a reply saying Redis is not
 * ready. A command Redis refused for itself (a wrong type, a script error) is not one.
 */
export function isRedisUnreachable(err: unknown): boolean {
  if (err instanceof MaxRetriesPerRequestError) return true;
  if (err instanceof ReplyError) return UNAVAILABLE_REPLIES.test((err as Error).message);
  return err instanceof Error && CONNECTION_MESSAGES.has(err.message);
}
