import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/** The states a worker moves a training job's row to (queued: an attempt failed and will be retried). */
export const JOB_TRANSITIONS = ['running', 'queued', 'succeeded', 'failed', 'cancelled'] as const;
export type JobTransition = (typeof JOB_TRANSITIONS)[number];
type AttemptEnd = Exclude<JobTransition, 'running'>;

/** From a tiny dataset's few seconds to hours of epochs. */
const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

/**
 * Training's families, counted where jobs change state (the worker's runner): transitions rather
 * than a gauge read from PostgreSQL, so a scrape queries nothing and the counters add up across
 * workers; the queue's depth per state is `mlapi_queue_jobs{queue="training"}` (QueueMetrics).
 */
@Injectable()
export class TrainingMetrics {
  private readonly jobs: Counter<'state'>;
  private readonly duration: Histogram<'state'>;

  constructor(registry: Registry) {
    this.jobs = new Counter({
      name: 'mlapi_training_jobs_total',
      help: 'Training job transitions made by this worker, by the state entered: running (an attempt claimed), succeeded, cancelled, failed, queued (an attempt failed, retried)',
      labelNames: ['state'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'mlapi_training_duration_seconds',
      help: 'Time of one training attempt on this worker (loading the data, training, registering), by the state it ended in',
      labelNames: ['state'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
  }

  /** Every state at 0 once this process trains, so `rate()` and `increase()` see the first job. */
  start(): void {
    for (const state of JOB_TRANSITIONS) this.jobs.inc({ state }, 0);
  }

  claimed(): void {
    this.jobs.inc({ state: 'running' });
  }

  ended(state: AttemptEnd, ms: number): void {
    this.jobs.inc({ state });
    this.duration.observe({ state }, ms / 1000);
  }
}
