import { z } from 'zod';
import { defineEvent } from '../events';

/** Stop a running training job after its current epoch, on whichever worker runs it. */
export const TrainingCancelRequested = defineEvent<{ jobId: string }>('training.cancel', {
  scope: 'cluster',
  schema: z.object({ jobId: z.string() }),
});
