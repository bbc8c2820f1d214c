import { isUnavailableSqlState, sqlStateOf } from './query-refused';

/**
 * Socket errors of a connection attempt or of a dropped connection. Only pg rejects a query with
 * one: ioredis reports its socket's errors as events and rejects commands with its own messages
 * (src/redis/redis-unreachable.ts), so a bare system error in a request is PostgreSQL's.
 */
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** What pg and pg-pool reject with when there is no usable connection (they carry no code). */
const CONNECTION_MESSAGES = [
  /^Connection terminated/, // unexpectedly (server gone), due to connection timeout (pool), or plain
  /^timeout exceeded when trying to connect$/, // pg-pool: no connection within connectionTimeoutMillis
  /^timeout expired$/, // pg's own connect timeout, from a bare Client
  /^Client has encountered a connection error and is not queryable$/,
];

/**
 * True when an error means PostgreSQL cannot be reached or cannot serve now: a refused, reset or
 * timed-out connection, a pool that got no connection in time, or a SQLSTATE of the unavailability
 * classes. TypeORM passes connection errors through as pg raised them and wraps a failed query in
 * `QueryFailedError`, whose `driverError` is pg's, so both are looked at.
 */
export function isPostgresUnreachable(err: unknown): boolean {
  const code = sqlStateOf(err);
  if (code !== undefined) return isUnavailableSqlState(code);
  return isConnectionFailure(err) || isConnectionFailure((err as { driverError?: unknown } | null)?.driverError);
}

/** Read by shape, not `instanceof Error`: Node's socket errors may come from another realm (Jest's VM, for one). */
function isConnectionFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && SOCKET_ERRORS.has(code)) return true;
  return typeof message === 'string' && CONNECTION_MESSAGES.some((pattern) => pattern.test(message));
}
