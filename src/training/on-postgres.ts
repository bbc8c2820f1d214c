import { dependencyUnavailable } from '../common/errors/common.errors';
import { DomainError } from '../common/errors/domain-error';
import { isQueryRefused } from '../database/query-refused';

/** Errors of the code itself: a bug answers a bare 500, never a false "unavailable". */
const BUGS = [TypeError, ReferenceError, RangeError, SyntaxError];

/**
 * A request's PostgreSQL work. Domain errors (not found, bad fields) and queries PostgreSQL
 * answered and refused pass through; any other failure (a refused connection, a dropped socket,
 * a pool timeout) means PostgreSQL cannot be reached: the one 503 naming it.
 */
export async function onPostgres<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DomainError || isQueryRefused(err) || BUGS.some((bug) => err instanceof bug)) throw err;
    throw Object.assign(dependencyUnavailable('PostgreSQL'), { cause: err });
  }
}
