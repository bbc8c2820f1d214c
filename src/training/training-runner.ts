import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Job } from 'bull';
import { In, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { EventBus } from '../events';
import { WorkerHeartbeats } from '../health';
import {
  MlInputError,
  type BundleCalibration,
  type CellValue,
  trainModel,
  type EpochReport,
  type TrainResult,
} from '../ml';
import { ExperimentTracker } from './ports/experiment-tracker.port';
import { TrainingData } from './ports/training-data.port';
import { TrainingJobEntity } from './training-job.entity';
import { TrainingMetrics } from './training-metrics';
import { TrainingCancelRequested } from './cancel-requested.event';
import { ProgressAnnouncer } from './progress-announcer';
import { type TrainJobData } from './queue/training.jobs';

/**
 * Runs one training job (worker role; TrainingProcessor hands it the queue's jobs): stream the dataset version, train with the ML
 * library, record the run, register the version, move aliases through the gate. Parameter
 * errors fail at once; infrastructure errors are retried by Bull with backoff, and a run left
 * behind by a lost worker is marked failed before the retry starts a new one.
 */
@Injectable()
export class TrainingRunner {
  private readonly logger = new Logger(TrainingRunner.name);
  private readonly cancelRequested = new Set<string>();
  private readonly announcer: ProgressAnnouncer;

  constructor(
    @InjectRepository(TrainingJobEntity) private readonly jobs: Repository<TrainingJobEntity>,
    private readonly data: TrainingData,
    private readonly tracker: ExperimentTracker,
    private readonly events: EventBus,
    private readonly heartbeats: WorkerHeartbeats,
    private readonly config: AppConfig,
    private readonly metrics: TrainingMetrics,
  ) {
    this.announcer = new ProgressAnnouncer(events);
  }

  /** Listens for cancel requests (TrainingProcessor calls it before consuming the queue). */
  start(): void {
    this.events.subscribe(TrainingCancelRequested, ({ jobId }) => void this.cancelRequested.add(jobId));
    this.metrics.start();
    this.logger.log({ concurrency: this.config.env.TRAINING_CONCURRENCY }, 'training worker started');
  }

  async run(job: Job<TrainJobData>): Promise<void> {
    const row = await this.jobs.findOneBy({ id: job.data.jobId });
    if (!row) return;
    const attempt: AttemptLog = { jobId: row.id, attempt: row.attempts + 1, worker: this.heartbeats.selfId };
    // Claim it unless it was cancelled meanwhile ('running' here means a lost worker's attempt).
    const claim = await this.jobs.update(
      { id: row.id, state: In(['queued', 'running']) },
      {
        state: 'running',
        attempts: attempt.attempt,
        startedAt: new Date(),
        runId: null,
        error: null,
        workerId: attempt.worker,
      },
    );
    if (!claim.affected) return;
    this.metrics.claimed();
    const started = Date.now();
    if (row.state === 'running')
      this.logger.warn(
        { ...attempt, previousWorker: row.workerId, reason: 'its worker was lost: the lock expired' },
        'training job retried',
      );
    this.logger.log(attempt, 'training job started');
    this.announcer.started(row.id);
    if (row.runId) await this.tracker.failRun(row.runId, 'worker lost or failed; retried in a new run');
    try {
      const state = await this.train(row, job);
      this.metrics.ended(state, Date.now() - started);
      this.announcer.ended(row.id, state);
      this.logger.log({ ...attempt, state, durationMs: Date.now() - started }, 'training job ended');
    } catch (err) {
      await this.fail(row, job, err, attempt, started);
      throw err;
    } finally {
      this.cancelRequested.delete(row.id);
    }
  }

  private async train(row: TrainingJobEntity, job: Job<TrainJobData>): Promise<'succeeded' | 'cancelled'> {
    const started = Date.now();
    const { recipe } = row;
    const dataset = await this.data.resolveVersion(recipe.dataset, row.datasetVersion);
    const records: Record<string, CellValue>[] = [];
    for await (const batch of this.data.rows(row.datasetVersionId)) records.push(...batch);
    const loadMs = Date.now() - started;

    const runId = await this.tracker.startRun({
      experiment: recipe.dataset,
      recipe,
      datasetVersionId: dataset.versionId,
      datasetVersion: dataset.version,
      datasetSha256: dataset.sha256,
      jobId: row.id,
      createdBy: row.createdBy,
    });
    await this.jobs.update(row.id, { runId });

    const maxEpochs = Number(recipe.hyperparameters.epochs);
    const result = await trainModel({
      records,
      schema: dataset.schema,
      target: recipe.target,
      task: recipe.task,
      family: recipe.family,
      hyperparameters: recipe.hyperparameters,
      seed: recipe.seed,
      positiveClass: recipe.positiveClass,
      features: recipe.features,
      onEpoch: (e) => this.onEpoch(row.id, runId, job, e, maxEpochs),
      shouldStop: () => this.cancelRequested.has(row.id),
    });
    result.predictor.dispose();

    const metrics = { ...numericMetrics(result), ...calibrationMetrics(result.calibration) };
    await this.tracker.completeRun(runId, {
      metrics,
      backend: result.backend,
      timings: { loadMs, ...result.timings },
      bundle: result.bundle,
      tags: {
        stopReason: result.stopReason,
        bestEpoch: String(result.bestEpoch),
        evaluation: JSON.stringify(result.metrics),
        ...(result.calibration && { calibration: result.calibration.method }),
      },
    });
    if (result.stopReason === 'cancelled') {
      await this.finish(row.id, 'cancelled', { metrics, backend: result.backend }, 'cancelled by request');
      return 'cancelled';
    }
    const outcome: Record<string, unknown> = {
      metrics,
      evaluation: result.metrics,
      backend: result.backend,
      timings: { loadMs, ...result.timings },
      rows: result.rowCounts,
      stopReason: result.stopReason,
      calibration: result.calibration && { method: result.calibration.method, ece: result.calibration.ece },
    };
    if (row.modelName) {
      const version = await this.tracker.registerVersion(row.modelName, runId, row.createdBy);
      await this.jobs.update(row.id, { modelVersion: version });
      outcome.promotions = await this.promote(row, version);
    }
    outcome.totalMs = Date.now() - started;
    await this.finish(row.id, 'succeeded', outcome, null);
    return 'succeeded';
  }

  private async promote(row: TrainingJobEntity, version: number) {
    const results: Record<string, { moved: boolean; reasons: string[] }> = {};
    for (const alias of row.promoteTo?.split(',') ?? []) {
      results[alias] = await this.tracker.moveAlias(
        row.modelName as string,
        alias,
        version,
        `training job ${row.id}`,
        row.createdBy,
      );
    }
    return results;
  }

  private async onEpoch(
    jobId: string,
    runId: string,
    job: Job<TrainJobData>,
    e: EpochReport,
    maxEpochs: number,
  ): Promise<void> {
    const progress = { epoch: e.epoch, maxEpochs, loss: e.loss, valLoss: e.valLoss, valMetrics: e.valMetrics };
    this.announcer.epoch(jobId, { epoch: e.epoch, maxEpochs, loss: e.loss, valLoss: e.valLoss });
    await Promise.all([
      this.jobs.update(jobId, { progress }),
      job.progress(progress),
      this.tracker.logEpoch(runId, e.epoch, { loss: e.loss, val_loss: e.valLoss, ...prefixed('val_', e.valMetrics) }),
    ]);
  }

  private async fail(
    row: TrainingJobEntity,
    job: Job<TrainJobData>,
    err: unknown,
    attempt: AttemptLog,
    started: number,
  ): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    const fresh = await this.jobs.findOneBy({ id: row.id });
    if (fresh?.runId) await this.tracker.failRun(fresh.runId, message).catch(() => undefined);
    // Bad parameters or data will not get better by retrying.
    const permanent = err instanceof MlInputError;
    if (permanent) await job.discard();
    const retrying = !permanent && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
    await this.jobs.update(
      row.id,
      retrying
        ? { state: 'queued', error: `attempt failed, retrying: ${message}` }
        : { state: 'failed', error: message, finishedAt: new Date() },
    );
    const durationMs = Date.now() - started;
    this.metrics.ended(retrying ? 'queued' : 'failed', durationMs);
    this.announcer.ended(row.id, retrying ? 'queued' : 'failed');
    if (retrying) this.logger.warn({ ...attempt, reason: message, durationMs }, 'training job retried');
    else
      this.logger.warn({ ...attempt, state: 'failed', reason: message, permanent, durationMs }, 'training job ended');
  }

  private async finish(
    id: string,
    state: 'succeeded' | 'cancelled',
    result: Record<string, unknown>,
    error: string | null,
  ) {
    await this.jobs.save({ id, state, result, error, finishedAt: new Date() });
  }
}

/** What every line about one attempt of a job carries. */
interface AttemptLog {
  jobId: string;
  attempt: number;
  worker: string;
}

/** The held-out metrics as the registry and MLflow name them: snake_case (`roc_auc`), numbers only. */
export function numericMetrics(result: Pick<TrainResult, 'metrics'>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(result.metrics)
      .filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]))
      .map(([k, v]) => [snakeCase(k), v]),
  );
}

/**
 * The expected calibration error before and after the bundle's calibration map, on the validation
 * split the map was fitted on and on the held-out test split; none for regression.
 */
export function calibrationMetrics(calibration: BundleCalibration | null): Record<string, number> {
  if (!calibration) return {};
  const { validation, test } = calibration.ece;
  const entries: [string, number][] = [
    ['calibration_ece_val_before', validation.before],
    ['calibration_ece_val_after', validation.after],
    ['calibration_ece_test_before', test.before],
    ['calibration_ece_test_after', test.after],
  ];
  return Object.fromEntries(entries.filter(([, v]) => Number.isFinite(v)));
}

function prefixed(prefix: string, metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [prefix + snakeCase(k), v]));
}

export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
