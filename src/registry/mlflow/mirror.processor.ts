import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { processJobs } from '../../common/queue/job-catalogue';
import { MLFLOW_MIRROR_QUEUE, type MirrorJob, type MirrorJobs } from './mirror.jobs';
import { MlflowMirrorService } from './mlflow-mirror.service';

/** Consumes mirror jobs (worker role only). Bull retries with exponential backoff. */
@Injectable()
export class MirrorProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(MirrorProcessor.name);

  constructor(
    @InjectQueue(MLFLOW_MIRROR_QUEUE) private readonly queue: Queue,
    private readonly mirror: MlflowMirrorService,
  ) {}

  onApplicationBootstrap(): void {
    processJobs<MirrorJobs>(this.queue, { sync: { concurrency: 1, handle: (job) => this.handle(job) } });
  }

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
      this.logger.warn(
        { job: data, attempt: job.attemptsMade + 1, final, err: message },
        'MLflow mirror attempt failed',
      );
      if (data.kind === 'run') await this.mirror.recordRunFailure(data.runId, message, final);
      if (data.kind === 'model') await this.mirror.recordModelFailure(data.modelName, message, final);
      throw err;
    }
  }
}
