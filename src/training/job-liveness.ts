import { Injectable } from '@nestjs/common';
import { WorkerHeartbeats } from '../health';
import type { TrainingJobEntity } from './training-job.entity';

/**
 * Whether a running job still has a worker behind it, from the heartbeats any replica reads: a
 * job whose worker stopped beating is stalled at once, while Bull still waits for its lock to
 * expire (TRAINING_LOCK_MS) before another worker retries it.
 */
@Injectable()
export class JobLiveness {
  constructor(private readonly heartbeats: WorkerHeartbeats) {}

  /** Ids of the workers alive now, or null when the heartbeats cannot be read (then no verdict). */
  async aliveWorkers(): Promise<Set<string> | null> {
    try {
      return new Set((await this.heartbeats.alive()).map((beat) => beat.id));
    } catch {
      return null;
    }
  }

  /** Why each of these jobs is stalled, for the running ones whose worker is gone. */
  async stalled(jobs: TrainingJobEntity[]): Promise<Map<string, string>> {
    const running = jobs.filter((job) => job.state === 'running');
    const alive = running.length ? await this.aliveWorkers() : null;
    const verdicts = new Map<string, string>();
    for (const job of running) {
      const reason = alive && this.stalledReason(job, alive);
      if (reason) verdicts.set(job.id, reason);
    }
    return verdicts;
  }

  /** Null while the job's worker beats (or cannot be judged yet); else the reason it is stalled. */
  stalledReason(job: TrainingJobEntity, alive: Set<string>, now = Date.now()): string | null {
    const staleAfterMs = this.heartbeats.staleAfterMs;
    // A worker's first beat may follow its first claim: a job younger than that is not judged.
    if (job.state !== 'running' || !job.workerId || alive.has(job.workerId)) return null;
    if (!job.startedAt || now - job.startedAt.getTime() < staleAfterMs) return null;
    return (
      `worker ${job.workerId} has sent no heartbeat for ${staleAfterMs} ms (last progress at ${job.updatedAt.toISOString()}); ` +
      'another worker retries the job once its lock expires (TRAINING_LOCK_MS)'
    );
  }
}
