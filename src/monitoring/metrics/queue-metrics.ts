import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import Bull, { type Job, type Queue } from 'bull';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { withTimeout } from '../../common/with-timeout';

/** The Bull states a queue's depth is reported in (completed jobs are history, not depth). */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'paused'] as const;

/** A scrape waits no longer than this for Redis: Bull's client queues commands while Redis is away. */
export const QUEUE_READ_TIMEOUT_MS = 1_000;

/** From a mirror sync (well under a second) to a long training run. */
const JOB_DURATION_BUCKETS = [0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

/**
 * The queues' families, for every Bull queue the process holds (found through Nest's discovery,
 * so a module's new queue is covered without a line here): `mlapi_queue_jobs{queue,state}`, the
 * depth per state read from Redis at each scrape (the same on every replica: shared state), and
 * `mlapi_queue_jobs_processed_total{queue,job,outcome}` with `mlapi_queue_job_duration_seconds`,
 * counted by the process that ran the job. Provided by the worker role: queues are consumed there.
 */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly registry: Registry,
  ) {}

  onModuleInit(): void {
    const queues = this.queues();
    const registers = [this.registry];
    new Gauge({
      name: 'mlapi_queue_jobs',
      help: `Jobs of each queue by state, read from Redis at each scrape (shared by every replica; NaN when Redis does not answer within ${QUEUE_READ_TIMEOUT_MS} ms)`,
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const counts = await Promise.all(queues.map(readCounts));
        queues.forEach((queue, i) => {
          for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[i]?.[state] ?? NaN);
        });
      },
    });
    const processed = new Counter({
      name: 'mlapi_queue_jobs_processed_total',
      help: 'Jobs this process ran to an end, by queue, job name and outcome (completed, or failed: an attempt that threw)',
      labelNames: ['queue', 'job', 'outcome'],
      registers,
    });
    const duration = new Histogram({
      name: 'mlapi_queue_job_duration_seconds',
      help: 'Time from a job attempt starting on this process to its end, by queue, job name and outcome',
      labelNames: ['queue', 'job', 'outcome'],
      buckets: JOB_DURATION_BUCKETS,
      registers,
    });
    for (const queue of queues) {
      const ended = (outcome: 'completed' | 'failed') => (job: Job) => {
        const labels = { queue: queue.name, job: job.name, outcome };
        processed.inc(labels);
        if (job.processedOn) duration.observe(labels, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
      };
      queue.on('completed', ended('completed'));
      queue.on('failed', ended('failed'));
    }
  }

  /** Every Bull queue among the app's providers, once each. */
  private queues(): Queue[] {
    const byName = new Map<string, Queue>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.isDependencyTreeStatic() ? wrapper.instance : undefined;
      if (instance instanceof Bull) byName.set(instance.name, instance);
    }
    return [...byName.values()];
  }
}

/** A queue's counts by state (Bull's typings omit `paused`), or null when Redis does not answer in time. */
function readCounts(queue: Queue): Promise<Record<string, number> | null> {
  const counts = queue.getJobCounts() as Promise<unknown> as Promise<Record<string, number>>;
  return withTimeout(counts, QUEUE_READ_TIMEOUT_MS, 'Redis did not answer').catch(() => null);
}
