import { Logger } from '@nestjs/common';
import type { EventBus } from '../events';
import { TrainingProgress, type TrainingProgressEvent } from './training-progress.event';

/** At most one progress event a second per job: an epoch of a small model takes milliseconds. */
export const PROGRESS_EVERY_MS = 1000;

type Progress = Pick<TrainingProgressEvent, 'epoch' | 'maxEpochs' | 'loss' | 'valLoss'>;
const NONE: Progress = { epoch: null, maxEpochs: null, loss: null, valLoss: null };

/**
 * Publishes the runner's progress as TrainingProgress (the dashboard's live view): throttled per
 * job, and always the final state with the last epoch seen. Best effort: training never waits on
 * it or fails for it (a missed event is read again from GET /training-jobs).
 */
export class ProgressAnnouncer {
  private readonly logger = new Logger(ProgressAnnouncer.name);
  private readonly jobs = new Map<string, { sentAt: number; progress: Progress }>();

  constructor(
    private readonly events: EventBus,
    private readonly now: () => number = Date.now,
  ) {}

  started(jobId: string): void {
    this.jobs.set(jobId, { sentAt: this.now(), progress: NONE });
    this.send(jobId, 'running', NONE);
  }

  epoch(jobId: string, progress: Progress): void {
    const job = this.jobs.get(jobId) ?? { sentAt: -Infinity, progress };
    job.progress = progress;
    this.jobs.set(jobId, job);
    if (this.now() - job.sentAt < PROGRESS_EVERY_MS) return;
    job.sentAt = this.now();
    this.send(jobId, 'running', progress);
  }

  /** The attempt's end: `queued` when Bull retries it. */
  ended(jobId: string, state: 'succeeded' | 'cancelled' | 'failed' | 'queued'): void {
    this.send(jobId, state, this.jobs.get(jobId)?.progress ?? NONE);
    this.jobs.delete(jobId);
  }

  private send(jobId: string, state: TrainingProgressEvent['state'], progress: Progress): void {
    const event = { jobId, state, ...progress, at: new Date(this.now()).toISOString() };
    this.events.publish(TrainingProgress, event).catch((err: unknown) => {
      this.logger.debug({ jobId, err: (err as Error).message }, 'training progress not sent to the other replicas');
    });
  }
}
