/** Reconnect delays: exponential from `baseMs`, capped, with full jitter (reconnecting pages do not move in step). */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const STREAM_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** The delay before attempt `attempt` (0 = the first retry), given a random number in [0, 1). */
export function backoffDelay(attempt: number, random: number, options: BackoffOptions = STREAM_BACKOFF): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
