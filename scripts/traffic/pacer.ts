/** Requests due in the first `elapsedMs` of a run at `rate` a second: one at 0, then one every 1/rate s. */
export function dueBy(elapsedMs: number, rate: number): number {
  return elapsedMs < 0 ? 0 : Math.floor((elapsedMs * rate) / 1000 + 1e-9) + 1;
}

/** When the request after the first `issued` is due, in ms after the start. */
export function nextDueMs(issued: number, rate: number): number {
  return Math.max(0, Math.ceil((issued * 1000) / rate - 1e-9));
}

export interface PacerOptions {
  rate: number;
  maxInFlight: number;
  /** Sends one request; the pacer counts it in flight until it settles (it must not reject). */
  send: () => Promise<void>;
}

/**
 * Open-loop pacing: request n is due at n/rate seconds after the start whatever the answers before
 * it (a closed loop would slow down with the server and hide that it cannot keep up). Each wake
 * sends every request due since the last; one due while `maxInFlight` are unanswered is skipped and
 * counted, so a slow server costs counted requests, not unbounded memory or a growing backlog.
 */
export class Pacer {
  issued = 0;
  sent = 0;
  skipped = 0;
  inFlight = 0;
  private start = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly opts: PacerOptions) {}

  begin(): void {
    this.start = Date.now();
    this.wake();
  }

  /** Stops issuing requests; resolves once those in flight have settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([...this.pending]);
  }

  private wake(): void {
    if (this.stopped) return;
    const now = Date.now() - this.start;
    const due = dueBy(now, this.opts.rate) - this.issued;
    for (let i = 0; i < due; i++) {
      if (this.inFlight >= this.opts.maxInFlight) {
        this.skipped++;
        continue;
      }
      this.sent++;
      this.inFlight++;
      const request = this.opts.send().finally(() => {
        this.inFlight--;
        this.pending.delete(request);
      });
      this.pending.add(request);
    }
    this.issued += Math.max(due, 0);
    this.timer = setTimeout(() => this.wake(), Math.max(nextDueMs(this.issued, this.opts.rate) - now, 0));
  }
}
