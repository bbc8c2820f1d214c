/** One true label for one answered prediction. */
export interface FeedbackItem {
  predictionId: string;
  label: string | number;
}

/** `POST /predictions/feedback` takes at most this many items (src/inference/feedback/feedback.dto.ts). */
export const FEEDBACK_BATCH_MAX = 1000;

export interface FeedbackQueueOptions {
  delayMs: number;
  /** How often due labels are sent (one batch request per wake, more when over FEEDBACK_BATCH_MAX). */
  everyMs: number;
  /** Sends one batch; resolves true when the API took it (it must not reject). */
  send: (items: FeedbackItem[]) => Promise<boolean>;
}

/**
 * Labels held back as a labelling process would (a person, a later outcome) and sent in batches:
 * each at least `delayMs` after its prediction was answered, at most `everyMs` later. One batch
 * request at a time, in answer order; a refused batch is counted, not retried (the summary says why).
 */
export class FeedbackQueue {
  sent = 0;
  failed = 0;
  /** Labels not yet due when the run stopped. */
  dropped = 0;
  private cancelDrain: (() => void) | undefined;
  private stopping: Promise<number> | undefined;
  private readonly waiting: { due: number; item: FeedbackItem }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly opts: FeedbackQueueOptions) {}

  get pending(): number {
    return this.waiting.length;
  }

  begin(): void {
    this.timer = setInterval(() => void this.flush(Date.now()), this.opts.everyMs);
  }

  add(item: FeedbackItem): void {
    this.waiting.push({ due: Date.now() + this.opts.delayMs, item });
  }

  /** Sends every label due by `now`, after the batches already on their way. */
  flush(now: number): Promise<void> {
    let n = 0;
    while (n < this.waiting.length && this.waiting[n].due <= now) n++;
    const due = this.waiting.splice(0, n).map((w) => w.item);
    for (let i = 0; i < due.length; i += FEEDBACK_BATCH_MAX) {
      const batch = due.slice(i, i + FEEDBACK_BATCH_MAX);
      this.sending = this.sending.then(async () => {
        if (await this.opts.send(batch)) this.sent += batch.length;
        else this.failed += batch.length;
      });
    }
    return this.sending;
  }

  /**
   * Stops the timer and sends the labels already due. `drain`: first waits until the last label is
   * due (a later `stop(false)` cuts the wait short); the labels still not due are dropped, their
   * count answered. Either way the batches on their way finish.
   */
  stop(drain: boolean): Promise<number> {
    if (this.stopping) {
      if (!drain) this.cancelDrain?.();
      return this.stopping;
    }
    clearInterval(this.timer);
    this.stopping = (async () => {
      // A timer may fire a millisecond before Date.now() reaches its due time: a drain that waited
      // to its end sends everything it waited for.
      let drained = false;
      if (drain && this.waiting.length) {
        const last = this.waiting[this.waiting.length - 1].due;
        drained = await new Promise<boolean>((resolve) => {
          const wait = setTimeout(() => resolve(true), Math.max(last - Date.now(), 0));
          this.cancelDrain = () => {
            clearTimeout(wait);
            resolve(false);
          };
        });
      }
      await this.flush(drained ? Infinity : Date.now());
      const dropped = this.waiting.splice(0).length;
      this.dropped += dropped;
      return dropped;
    })();
    return this.stopping;
  }
}
