import { backoffDelay, STREAM_BACKOFF, type BackoffOptions } from './backoff';

/**
 * The live stream's client (contract §3): a ticket (POST /dashboard/stream-tickets), an EventSource on
 * /dashboard/stream?ticket=…&lastEventId=…, and on any error: close, wait (backoff), a new ticket, a
 * new stream from the last id seen. Its effects (fetch, EventSource, timers) are injected, so its
 * logic is tested without a browser.
 */
export const STREAM_EVENTS = ['hello', 'traffic', 'alert', 'alias', 'training', 'window', 'reset'] as const;
export type StreamEventName = (typeof STREAM_EVENTS)[number];

export interface StreamMessage {
  event: StreamEventName;
  id: string;
  data: unknown;
}

/** What the client needs of an EventSource. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (e: { data?: string; lastEventId?: string }) => void): void;
  close(): void;
  onerror: ((e: never) => void) | null;
}

export interface StreamEffects {
  /** A new ticket, or null when none can be had (signed out, no stream on this server): then it waits and retries. */
  ticket(): Promise<string | null>;
  open(url: string): EventSourceLike;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

export type StreamStatus = 'connecting' | 'live' | 'waiting' | 'stopped';

export interface StreamCallbacks {
  message(m: StreamMessage): void;
  status(s: StreamStatus, detail?: string): void;
}

export function streamUrl(ticket: string, lastEventId: string | null): string {
  const q = new URLSearchParams({ ticket });
  if (lastEventId) q.set('lastEventId', lastEventId);
  return `/dashboard/stream?${q.toString()}`;
}

export class StreamClient {
  private source: EventSourceLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private stopped = false;
  lastEventId: string | null = null;

  constructor(
    private readonly effects: StreamEffects,
    private readonly callbacks: StreamCallbacks,
    private readonly backoff: BackoffOptions = STREAM_BACKOFF,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.source?.close();
    this.source = null;
    if (this.timer !== null) this.effects.clearTimeout(this.timer);
    this.timer = null;
    this.callbacks.status('stopped');
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.callbacks.status('connecting');
    let ticket: string | null = null;
    try {
      ticket = await this.effects.ticket();
    } catch {
      ticket = null;
    }
    if (this.stopped) return;
    if (!ticket) return this.retry('no stream ticket');
    const source = this.effects.open(streamUrl(ticket, this.lastEventId));
    this.source = source;
    for (const event of STREAM_EVENTS)
      source.addEventListener(event, (e) => {
        if (this.source !== source) return;
        if (e.lastEventId) this.lastEventId = e.lastEventId;
        if (event === 'hello') {
          this.attempt = 0;
          this.callbacks.status('live');
        }
        let data: unknown = null;
        try {
          data = e.data ? JSON.parse(e.data) : null;
        } catch {
          return; // not the contract's one-line JSON: ignored
        }
        this.callbacks.message({ event, id: e.lastEventId ?? '', data });
      });
    // EventSource would reconnect by itself with the same (used) ticket: close it and start over.
    source.onerror = () => {
      if (this.source !== source) return;
      source.close();
      this.source = null;
      this.retry('connection lost');
    };
  }

  private retry(why: string): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt++, this.effects.random(), this.backoff);
    this.callbacks.status('waiting', `${why}; retrying in ${Math.ceil(delay / 1000)} s`);
    this.timer = this.effects.setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }
}
