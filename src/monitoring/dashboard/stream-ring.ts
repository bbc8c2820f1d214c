/** One event as every stream sends it: framed once, shared by all the clients. */
export interface RingEntry {
  seq: number;
  at: number;
  frame: string;
}

export interface RingLimits {
  maxEvents: number;
  maxAgeMs: number;
}

/** What a client reconnecting with `lastEventId` gets: what it missed, or a reset (refetch everything). */
export type Replay = { kind: 'replay'; entries: RingEntry[] } | { kind: 'reset' };

/**
 * The last events of this process (the newest `maxEvents`, none older than `maxAgeMs`), for
 * streams that reconnect with `lastEventId`. Ids are `<bootId>.<seq>`: a restarted process or
 * another replica has another boot id, and its ids mean nothing here, so they get a reset.
 */
export class StreamRing {
  private readonly entries: RingEntry[] = [];
  /** Index of the oldest live entry in `entries` (shifting an array of 2,000 on every event is wasteful). */
  private head = 0;
  private seq = 0;

  constructor(
    readonly bootId: string,
    private readonly limits: RingLimits,
    private readonly now: () => number = Date.now,
  ) {
    if (bootId.includes('.')) throw new Error('a boot id may not hold a dot');
  }

  /** The id of the newest event (`<bootId>.0` before the first). */
  get lastId(): string {
    return `${this.bootId}.${this.seq}`;
  }

  /** Frames an event with the next id and keeps it. */
  append(frame: (id: string) => string): RingEntry {
    this.seq++;
    const entry = { seq: this.seq, at: this.now(), frame: frame(`${this.bootId}.${this.seq}`) };
    this.entries.push(entry);
    this.evict();
    return entry;
  }

  /** The events after `lastEventId`, or a reset when it is not one of this process's ids or events after it are gone. */
  since(lastEventId: string): Replay {
    this.evict();
    const dot = lastEventId.lastIndexOf('.');
    const seqText = lastEventId.slice(dot + 1);
    if (dot < 0 || lastEventId.slice(0, dot) !== this.bootId || !/^\d{1,15}$/.test(seqText)) return { kind: 'reset' };
    const last = Number(seqText);
    if (last > this.seq) return { kind: 'reset' };
    const oldest = this.head < this.entries.length ? this.entries[this.head].seq : this.seq + 1;
    if (last < oldest - 1) return { kind: 'reset' };
    return { kind: 'replay', entries: this.entries.slice(this.head + (last - oldest + 1)) };
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  private evict(): void {
    const cutoff = this.now() - this.limits.maxAgeMs;
    while (
      this.head < this.entries.length &&
      (this.size > this.limits.maxEvents || this.entries[this.head].at < cutoff)
    )
      this.head++;
    // Compact now and then, so the array does not grow with every event ever kept.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }
}
