import { isPostgresUnreachable } from '../../database/postgres-unreachable';
import { isRedisUnreachable } from '../../redis/redis-unreachable';
import type { Dependency } from './common.errors';

/**
 * Which dependency an error says is unreachable, if any. Redis is asked first: its errors are
 * recognised by class and exact message, while PostgreSQL's include bare socket errors.
 */
export function unreachableDependency(err: unknown): Dependency | undefined {
  if (isRedisUnreachable(err)) return 'Redis';
  if (isPostgresUnreachable(err)) return 'PostgreSQL';
  return undefined;
}
