import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { MLFLOW_MIRROR_QUEUE, type MirrorJob } from './mirror-job';
import { MlflowMirrorService } from './mlflow-mirror.service';

/** Consumes mirror jobs (only where APP_ROLE runs workers). Bull retries with exponential backoff. */
@Processor(MLFLOW_MIRROR_QUEUE)
export class MlflowMirrorProcessor {
  private readonly logger = new Logger(MlflowMirrorProcessor.name);

  constructor(private readonly mirror: MlflowMirrorService) {}

  @Process()
  async handle(job: Job<MirrorJob>): Promise<void> {
    const data = job.data;
    try {
      switch (data.kind) {
        case 'run':
          return await this.mirror.syncRun(data.runId);
        case 'model':
          return await this.mirror.syncModel(data.modelName);
        case 'delete-version':
          return await this.mirror.deleteVersion(data.modelName, data.mlflowVersion);
      }
    } catch (err) {
      const message = (err as Error).message;
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.logger.warn({ job: data, attempt: job.attemptsMade + 1, final, err: message }, 'MLflow mirror attempt failed');
      if (data.kind === 'run') await this.mirror.recordRunFailure(data.runId, message, final);
      if (data.kind === 'model') await this.mirror.recordModelFailure(data.modelName, message, final);
      throw err;
    }
  }
}
