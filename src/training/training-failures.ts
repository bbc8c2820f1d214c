import { Injectable } from '@nestjs/common';
import { TrainingJobsService } from './training-jobs.service';

/** Failed training jobs of a window, as monitoring's training-failure alerts read them. */
export interface TrainingFailureCount {
  failed: number;
  /** The newest few, for an alert's evidence. */
  latest: { id: string; model: string | null; error: string | null; finishedAt: Date | null }[];
}

/** Training's answer to "how many jobs failed lately?" (monitoring's public way in). */
@Injectable()
export class TrainingFailures {
  constructor(private readonly jobs: TrainingJobsService) {}

  /** Jobs that failed for good in `[from, to]`, of `model` (null: any model, and jobs without one). */
  async between(from: Date, to: Date, model: string | null): Promise<TrainingFailureCount> {
    const [rows, failed] = await this.jobs.failedBetween(from, to, model ?? undefined, 5);
    return {
      failed,
      latest: rows.map((j) => ({ id: j.id, model: j.modelName, error: j.error, finishedAt: j.finishedAt })),
    };
  }
}
