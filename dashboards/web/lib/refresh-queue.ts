/**
 * Coalesces the refetches that live events ask for: a burst of events (the realised-quality job
 * announces every window of its lookback, one event each) makes one refetch of each stale panel,
 * and a panel is never fetched twice at once. Timers are injected, so it is tested without a browser.
 */
export interface RefreshTimers {
  setTimeout(fn: () => void, ms: number): unknown;
}

export class RefreshQueue<Name extends string> {
  private pending: Set<Name> | 'all' = new Set();
  private timer: unknown = null;
  private running = false;

  constructor(
    private readonly run: (which: Name[] | 'all') => Promise<void>,
    private readonly timers: RefreshTimers,
    private readonly delayMs = 250,
  ) {}

  /** Asks for a refetch of these panels (or all) within `delayMs`, merged with what is already asked. */
  ask(which: Name[] | 'all'): void {
    if (which === 'all') this.pending = 'all';
    else if (this.pending !== 'all') for (const n of which) this.pending.add(n);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null || this.running || this.empty()) return;
    this.timer = this.timers.setTimeout(() => void this.flush(), this.delayMs);
  }

  private empty(): boolean {
    return this.pending !== 'all' && this.pending.size === 0;
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const which = this.pending === 'all' ? 'all' : [...this.pending];
    this.pending = new Set();
    this.running = true;
    try {
      await this.run(which);
    } finally {
      this.running = false;
      this.schedule(); // what was asked meanwhile
    }
  }
}
