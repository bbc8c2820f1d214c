/** UTC hours of the hourly roll-ups (monitoring.buckets_hourly). */
export const HOUR_MS = 3_600_000;

/** Start of the UTC hour holding `t`. */
export const hourFloor = (t: number): number => Math.floor(t / HOUR_MS) * HOUR_MS;

/** Start of the first UTC hour that begins at or after `t`. */
export const hourCeil = (t: number): number => Math.ceil(t / HOUR_MS) * HOUR_MS;

/** The UTC hour of a minute row (alias `b`), whatever the session's time zone. */
export const HOUR_OF_MINUTE = `date_trunc('hour', b.minute, 'UTC')`;
