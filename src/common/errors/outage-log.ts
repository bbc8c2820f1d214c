import type { Logger } from '@nestjs/common';
import type { Dependency } from './common.errors';

/** While a dependency stays down, one warn line per this many milliseconds, with the count of refusals since the last one. */
export const OUTAGE_LOG_INTERVAL_MS = 10_000;

/**
 * The log of requests refused because a dependency is down: a warn line when the refusals start,
 * then one per interval counting the others, instead of a line (and a stack) per request, which
 * during an outage would be most of the log.
 */
export class OutageLog {
  private readonly last = new Map<Dependency, { at: number; refusedSince: number }>();

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly now: () => number = Date.now,
  ) {}

  refused(dependency: Dependency, cause: unknown, requestId: string): void {
    const now = this.now();
    const last = this.last.get(dependency);
    if (last && now - last.at < OUTAGE_LOG_INTERVAL_MS) {
      last.refusedSince++;
      return;
    }
    this.last.set(dependency, { at: now, refusedSince: 0 });
    this.logger.warn(
      { dependency, cause: describe(cause), requestId, ...(last ? { refusedSince: last.refusedSince } : {}) },
      `${dependency} is unavailable: requests that need it answer 503`,
    );
  }
}

function describe(cause: unknown): { name?: string; message: string; code?: unknown } {
  if (!(cause instanceof Error)) return { message: String(cause) };
  const code = (cause as { code?: unknown }).code;
  return { name: cause.name, message: cause.message, ...(code === undefined ? {} : { code }) };
}
