import { z } from 'zod';
import { defineEvent } from '../events';

const schema = z.object({
  jobId: z.string(),
  /** `running` while it trains; then `succeeded`, `cancelled`, `failed`, or `queued` when an attempt failed and Bull retries it. */
  state: z.enum(['running', 'succeeded', 'cancelled', 'failed', 'queued']),
  /** The last epoch reported (null before the first). */
  epoch: z.number().int().nullable(),
  maxEpochs: z.number().int().nullable(),
  loss: z.number().nullable(),
  valLoss: z.number().nullable(),
  /** When the runner recorded it (ISO 8601). */
  at: z.string(),
});

export type TrainingProgressEvent = z.infer<typeof schema>;

/**
 * A training job's progress, on every replica (the dashboard's live view): the runner publishes it
 * at most once a second per job while epochs run, and always with the job's final state.
 */
export const TrainingProgress = defineEvent<TrainingProgressEvent>('training.progress', { scope: 'cluster', schema });
