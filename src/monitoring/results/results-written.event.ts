import { Logger } from '@nestjs/common';
import { z } from 'zod';
import { defineEvent, type EventBus } from '../../events';

const logger = new Logger('ResultsWritten');

const schema = z.object({
  model: z.string(),
  version: z.number().int(),
  /** `drift`: the window job's drift, data quality and estimates; `realised`: the realised-quality job's rows. */
  kind: z.enum(['drift', 'realised']),
  windowStart: z.string(),
  windowEnd: z.string(),
});

export type ResultsWrittenEvent = z.infer<typeof schema>;

/** A job wrote a version's results for a window into monitoring.results (every replica: the dashboard refetches it). */
export const ResultsWritten = defineEvent<ResultsWrittenEvent>('monitoring.results-written', {
  scope: 'cluster',
  schema,
});

/**
 * Tells every replica that a version's window was written. Best effort: a job never fails for it
 * (a page that missed it sees the rows at its next read).
 */
export function announceWritten(
  events: EventBus,
  kind: ResultsWrittenEvent['kind'],
  version: { model: string; version: number },
  window: { from: Date; to: Date },
): void {
  const event = {
    model: version.model,
    version: version.version,
    kind,
    windowStart: window.from.toISOString(),
    windowEnd: window.to.toISOString(),
  };
  events.publish(ResultsWritten, event).catch((err: unknown) => {
    logger.debug({ ...event, err: (err as Error).message }, 'results-written event not sent to the other replicas');
  });
}
