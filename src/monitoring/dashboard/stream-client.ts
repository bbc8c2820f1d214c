import type { ServerResponse } from 'node:http';

/** Bytes a client may have waiting in its socket's buffer before its events are skipped. */
export const MAX_BUFFERED_BYTES = 256 * 1024;

/**
 * One open stream, written on the raw response. A slow reader must not make the process hold
 * every event for it: once more than MAX_BUFFERED_BYTES wait unsent, the next events are skipped,
 * and when the socket drains the client gets a `reset` (refetch) instead of what it missed. A
 * client skipping for longer than `stuckMs` is disconnected (`checkStuck`, on each heartbeat).
 */
export class StreamClient {
  private skippingSince: number | null = null;

  constructor(
    private readonly res: ServerResponse,
    readonly holder: { userId: string; sessionId: string },
    /** The reset frame to send after skipping (its id is the newest event's when it is sent). */
    private readonly resetFrame: () => string,
  ) {}

  get open(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  get skipping(): boolean {
    return this.skippingSince !== null;
  }

  send(frame: string, now = Date.now()): void {
    if (!this.open || this.skippingSince !== null) return;
    if (this.res.writableLength > MAX_BUFFERED_BYTES) {
      this.skippingSince = now;
      // writableLength above the high-water mark means a write returned false: 'drain' will come.
      this.res.once('drain', () => {
        this.skippingSince = null;
        if (this.open) this.res.write(this.resetFrame());
      });
      return;
    }
    this.res.write(frame);
  }

  /** Ends a client that has not read for `stuckMs`: its socket would hold the buffer until TCP gives up. */
  checkStuck(stuckMs: number, now = Date.now()): void {
    if (this.skippingSince !== null && now - this.skippingSince > stuckMs) this.res.destroy();
  }

  end(): void {
    if (this.open) this.res.end();
  }
}
