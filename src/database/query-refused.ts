/** SQLSTATE classes that mean the server cannot serve now: connection (08), resources (53), operator intervention (57), system (58). */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58']);

/**
 * True when PostgreSQL answered and refused the query itself (a data error, a constraint, a bug):
 * the error carries a SQLSTATE outside the unavailability classes. Errors without one (a refused
 * connection, a pool timeout, a dropped socket) are not refusals: the database may be unreachable.
 */
export function isQueryRefused(err: unknown): boolean {
  const code = sqlStateOf(err);
  return code !== undefined && !isUnavailableSqlState(code);
}

/** True for a SQLSTATE by which the server says it cannot serve now (classes 08, 53, 57, 58). */
export const isUnavailableSqlState = (code: string): boolean => UNAVAILABLE_CLASSES.has(code.slice(0, 2));

/** The SQLSTATE of a pg error, or of the one TypeORM wraps (`QueryFailedError.driverError`). */
export function sqlStateOf(err: unknown): string | undefined {
  return sqlState(err) ?? sqlState((err as { driverError?: unknown } | null)?.driverError);
}

function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
