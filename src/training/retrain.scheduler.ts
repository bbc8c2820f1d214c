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

/** Who an alert-started retraining is submitted by: `alert:<alert id>`. */
export const ALERT_RETRAIN_CREATOR = 'alert:';

/** What an alert's retraining request came to. */
export interface AlertRetrain {
  jobId: string;
  /** False when another alert-started retraining of the model was still queued or running: that one is answered. */
  started: boolean;
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

  /**
   * Retraining started by a monitoring alert: the production recipe on the newest data, whose result
   * becomes `challenger` only, whatever RETRAIN_AUTO_PROMOTE says (the gate and a person decide
   * about production). At most one per model at a time: while an alert-started retraining of the
   * model is queued or running, that one is answered. Callers serialise their calls (monitoring's
   * evaluation holds a cluster-wide lock), so the check and the submit do not race. Null when the
   * model has no production version to retrain.
   */
  async retrainForAlert(model: string, alertId: string): Promise<AlertRetrain | null> {
    const live = await this.jobs.liveJobOf(model, ALERT_RETRAIN_CREATOR);
    if (live) return { jobId: live.id, started: false };
    const recipe = await this.tracker.recipeOf(model, PRODUCTION_ALIAS);
    if (!recipe) {
      this.logger.warn({ model, alertId }, 'no production version to retrain for the alert; skipped');
      return null;
    }
    const { job, duplicate } = await this.jobs.create(
      { ...recipe, model, promoteTo: ['challenger'] },
      `${ALERT_RETRAIN_CREATOR}${alertId}`,
    );
    this.logger.log({ model, alertId, jobId: job.id, duplicate }, 'retraining queued for an alert');
    return { jobId: job.id, started: !duplicate };
  }
}
