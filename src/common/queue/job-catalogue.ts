import type { Job, JobOptions, Queue } from 'bull';

/**
 * A queue's job catalogue: job name → payload type. Each queue lives in a folder of its module
 * with `<queue>.jobs.ts` (the queue's name and its catalogue), `<queue>.producer.ts` (adds jobs;
 * any role) and `<queue>.processor.ts` (consumes them; the worker role only). See
 * docs/architecture.md, "Queues".
 */
export type JobCatalogue = Record<string, object>;

/** How one job of a catalogue is consumed; concurrencies of a queue's jobs add up (Bull's rule). */
export interface JobHandler<Payload> {
  concurrency: number;
  handle: (job: Job<Payload>) => Promise<unknown>;
}

/** One handler for every job of the catalogue: a job without a handler does not compile. */
export type JobHandlers<C extends JobCatalogue> = { [Name in keyof C & string]: JobHandler<C[Name]> };

/** Adds one job of the catalogue to its queue, its payload typed by the job's name. */
export function addJob<C extends JobCatalogue, Name extends keyof C & string>(
  queue: Queue,
  name: Name,
  data: C[Name],
  options?: JobOptions,
): Promise<Job<C[Name]>> {
  return queue.add(name, data, options) as Promise<Job<C[Name]>>;
}

/** Starts consuming every job of the catalogue on this process (a processor's onApplicationBootstrap). */
export function processJobs<C extends JobCatalogue>(queue: Queue, handlers: JobHandlers<C>): void {
  for (const [name, handler] of Object.entries(handlers) as [string, JobHandler<object>][]) {
    void queue.process(name, handler.concurrency, (job: Job<object>) => handler.handle(job));
  }
}

/**
 * Makes a repeatable job of the catalogue exactly one, every `everyMs`, across all workers: a
 * schedule of the same job at another interval (an older setting) is removed first.
 */
export async function scheduleEvery<C extends JobCatalogue, Name extends keyof C & string>(
  queue: Queue,
  name: Name,
  data: C[Name],
  everyMs: number,
): Promise<void> {
  for (const repeatable of await queue.getRepeatableJobs())
    if (repeatable.name === name && Number(repeatable.every) !== everyMs)
      await queue.removeRepeatableByKey(repeatable.key);
  await addJob<C, Name>(queue, name, data, {
    repeat: { every: everyMs },
    jobId: name,
    removeOnComplete: true,
    removeOnFail: 100,
  });
}
