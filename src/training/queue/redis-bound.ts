import { dependencyUnavailable } from '../../common/errors/common.errors';
import { withTimeout } from '../../common/with-timeout';

/**
 * A Bull call with a deadline: Bull's Redis client queues commands while Redis is offline and
 * would wait for good, so past `ms` (or on any Redis error) the caller gets the one 503 naming
 * Redis. The call itself is not cancelled: if Redis comes back it may still complete, which is
 * harmless for the idempotent calls bounded here.
 */
export async function redisBound<T>(call: Promise<T>, ms: number): Promise<T> {
  try {
    return await withTimeout(call, ms, 'no answer from Redis');
  } catch (err) {
    throw Object.assign(dependencyUnavailable('Redis'), { cause: err });
  } finally {
    call.catch(() => undefined); // a late rejection of the abandoned call is not unhandled
  }
}
