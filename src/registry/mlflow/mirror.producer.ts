import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import type { MirrorStatus } from '../entities/run.entity';
import { addJob } from '../../common/queue/job-catalogue';
import { MIRROR_SYNC_JOB, MLFLOW_MIRROR_QUEUE, mirrorJobId, type MirrorJob, type MirrorJobs } from './mirror.jobs';

/**
 * The producer side of the MLflow mirror. Callers never await it and it never throws: mirroring
 * must not fail or slow training. A run's `mirror_requested_at` marks that it changed since the
 * last sync; the processor keeps syncing until it has caught up with that mark.
 */
@Injectable()
export class MirrorProducer {
  private readonly logger = new Logger(MirrorProducer.name);

  constructor(
    @InjectQueue(MLFLOW_MIRROR_QUEUE) private readonly queue: Queue,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  get enabled(): boolean {
    return !!this.config.env.MLFLOW_TRACKING_URI;
  }

  initialStatus(): MirrorStatus {
    return this.enabled ? 'pending' : 'disabled';
  }

  /** Marks the run changed and queues a sync (fire-and-forget). */
  requestRun(runId: string, opts: { resetAttempts?: boolean } = {}): void {
    if (!this.enabled) return;
    void this.run(async () => {
      await this.dataSource.query(
        `UPDATE registry.runs SET mirror_status = 'pending', mirror_requested_at = clock_timestamp()${opts.resetAttempts ? ', mirror_attempts = 0' : ''} WHERE id = $1`,
        [runId],
      );
      await this.add({ kind: 'run', runId });
    });
  }

  requestModel(modelName: string): void {
    if (!this.enabled) return;
    void this.run(async () => {
      await this.dataSource.query(`UPDATE registry.registered_models SET mirror_status = 'pending' WHERE name = $1`, [
        modelName,
      ]);
      await this.add({ kind: 'model', modelName });
    });
  }

  requestVersionDeletion(modelName: string, mlflowVersion: string): void {
    if (!this.enabled) return;
    void this.run(() => this.add({ kind: 'delete-version', modelName, mlflowVersion }));
  }

  private async add(job: MirrorJob): Promise<void> {
    const attempts = this.config.env.MLFLOW_MIRROR_ATTEMPTS;
    await addJob<MirrorJobs, typeof MIRROR_SYNC_JOB>(this.queue, MIRROR_SYNC_JOB, job, {
      jobId: mirrorJobId(job),
      attempts,
      backoff: { type: 'exponential', delay: this.config.env.MLFLOW_MIRROR_BACKOFF_MS },
      // Removed when done, so the next change can queue the same job id again.
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not queue an MLflow mirror job');
    }
  }
}
