import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { JobLiveness } from './job-liveness';
import { TrainingProducer } from './queue/training.producer';
import { TrainingJobEntity } from './training-job.entity';

/** Live jobs looked at in one sweep; the rest wait for the next. */
const SWEEP_LIMIT = 500;

export interface SweepOutcome {
  requeued: string[];
  failed: string[];
  stalled: string[];
}

/**
 * Keeps every live job row and its queue entry together (worker role: TrainingProcessor starts
 * it; every worker sweeps, each step being idempotent). Every TRAINING_RECONCILE_INTERVAL_MS it
 * - queues again a `queued` row unchanged for TRAINING_RECONCILE_AFTER_MS that the queue does not
 *   hold (its submit met Redis down, its process stopped before queueing it, or Redis lost it),
 *   and a `running` one whose worker is gone and whose entry Redis lost;
 * - fails a live row whose entry Bull has failed without the runner seeing it (stalled too often);
 * - logs, once, a running job whose worker's heartbeat is gone (Bull retries it when its lock expires).
 */
@Injectable()
export class TrainingReconciler implements OnApplicationShutdown {
  private readonly logger = new Logger(TrainingReconciler.name);
  private timer?: NodeJS.Timeout;
  private sweeping = false;
  /** Stalled attempts already logged by this process (`id:attempt`). */
  private readonly reported = new Set<string>();

  constructor(
    @InjectRepository(TrainingJobEntity) private readonly jobs: Repository<TrainingJobEntity>,
    private readonly producer: TrainingProducer,
    private readonly liveness: JobLiveness,
    private readonly config: AppConfig,
  ) {}

  /** Sweeps now and then every interval, until the application shuts down. */
  start(): void {
    void this.sweepLogged();
    this.timer = setInterval(() => void this.sweepLogged(), this.config.env.TRAINING_RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(now = Date.now()): Promise<SweepOutcome> {
    const outcome: SweepOutcome = { requeued: [], failed: [], stalled: [] };
    const staleBefore = new Date(now - this.config.env.TRAINING_RECONCILE_AFTER_MS);
    const rows = await this.jobs
      .createQueryBuilder('job')
      .where(
        new Brackets((w) =>
          w
            .where(`job.state = 'queued' AND job.updated_at < :staleBefore`, { staleBefore })
            .orWhere(`job.state = 'running'`),
        ),
      )
      .orderBy('job.updated_at', 'ASC')
      .limit(SWEEP_LIMIT)
      .getMany();
    if (!rows.length) return outcome;
    const alive = await this.liveness.aliveWorkers();
    for (const row of rows) {
      const stalledReason = alive && this.liveness.stalledReason(row, alive, now);
      if (row.state === 'running' && !stalledReason) continue; // its worker holds it
      if (stalledReason) {
        outcome.stalled.push(row.id);
        this.reportStalled(row, stalledReason);
      }
      const entry = await this.producer.queued(row.id);
      if (!entry) {
        await this.producer.train(row.id);
        outcome.requeued.push(row.id);
        this.logger.warn(
          { jobId: row.id, state: row.state, attempt: row.attempts },
          'training job queued again: the queue held no entry for it',
        );
      } else if (await entry.isFailed()) {
        const reason = entry.failedReason ?? 'failed in the queue';
        const { affected } = await this.jobs.update(
          { id: row.id, state: row.state },
          { state: 'failed', error: reason, finishedAt: new Date() },
        );
        if (affected) {
          outcome.failed.push(row.id);
          this.logger.warn({ jobId: row.id, attempt: row.attempts, state: 'failed', reason }, 'training job ended');
        }
      }
    }
    this.forgetReported(rows);
    return outcome;
  }

  private async sweepLogged(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.sweep();
    } catch (err) {
      this.logger.warn(
        { err: (err as Error).message },
        'training jobs not reconciled with the queue; next sweep retries',
      );
    } finally {
      this.sweeping = false;
    }
  }

  private reportStalled(row: TrainingJobEntity, reason: string): void {
    const key = `${row.id}:${row.attempts}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.logger.warn({ jobId: row.id, attempt: row.attempts, worker: row.workerId, reason }, 'training job stalled');
  }

  private forgetReported(rows: TrainingJobEntity[]): void {
    const live = new Set(rows.map((r) => `${r.id}:${r.attempts}`));
    for (const key of this.reported) if (!live.has(key)) this.reported.delete(key);
  }
}
