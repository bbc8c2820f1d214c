import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PRODUCTION_ALIAS } from '../registry';
import { ExperimentTracker } from './ports/experiment-tracker.port';
import { TrainingJobsService } from './training-jobs.service';
import { TrainingProducer } from './queue/training.producer';

/** `credit=0 3 * * *;lending=0 4 * * 1` → [{model, cron}]. */
export function parseSchedules(spec: string): { model: string; cron: string }[] {
  return spec
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const i = entry.indexOf('=');
      const model = entry.slice(0, i).trim();
      const cron = entry.slice(i + 1).trim();
      if (i <= 0 || cron.split(/\s+/).length < 5)
        throw new Error(`RETRAIN_SCHEDULES: "${entry}" is not model=<cron with 5 fields>`);
      return { model, cron };
    });
}

/**
 * Scheduled retraining as Bull repeatable jobs (one schedule across all workers; worker role): retrain the
 * production version's recipe on the newest dataset version; the result becomes `challenger`,
 * and `production` too when RETRAIN_AUTO_PROMOTE is on and the gate agrees.
 */
@Injectable()
export class RetrainScheduler {
  private readonly logger = new Logger(RetrainScheduler.name);

  constructor(
    private readonly producer: TrainingProducer,
    private readonly jobs: TrainingJobsService,
    private readonly tracker: ExperimentTracker,
    private readonly config: AppConfig,
  ) {}

  /** Makes the queue's repeatable retrain jobs those of RETRAIN_SCHEDULES (TrainingProcessor calls it). */
  async start(): Promise<void> {
    const schedules = parseSchedules(this.config.env.RETRAIN_SCHEDULES);
    await this.producer.syncRetrainSchedules(schedules);
    if (schedules.length) this.logger.log({ schedules }, 'scheduled retraining');
  }

  /** Also callable directly (e.g. from an alert). Returns the training job id, or null. */
  async retrain(model: string): Promise<string | null> {
    const recipe = await this.tracker.recipeOf(model, PRODUCTION_ALIAS);
    if (!recipe) {
      this.logger.warn({ model }, 'no production version to retrain; skipped');
      return null;
    }
    const promoteTo = this.config.env.RETRAIN_AUTO_PROMOTE ? ['challenger', PRODUCTION_ALIAS] : ['challenger'];
    const { job } = await this.jobs.create({ ...recipe, model, promoteTo }, 'scheduler:retrain');
    this.logger.log({ model, jobId: job.id }, 'retraining queued');
    return job.id;
  }
}
