import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Between, In, IsNull, Like, Repository } from 'typeorm';
import { validationFailed } from '../common/errors/common.errors';
import { AppConfig } from '../config/app-config';
import { EventBus } from '../events';
import { MlInputError, resolveHyperparameters } from '../ml';
import type { CreateTrainingJobDto } from './dto/training-job.dto';
import type { TrainingRecipe } from './ports/experiment-tracker.port';
import { TrainingData } from './ports/training-data.port';
import { TrainingJobEntity } from './training-job.entity';
import { TrainingCancelRequested } from './cancel-requested.event';
import { TrainingProducer } from './queue/training.producer';
import { resolveTarget } from './target-resolution';
import { TrainingError, TrainingErrorCode } from './training.errors';

const UNIQUE_VIOLATION = '23505';

export interface JobRequest extends Omit<CreateTrainingJobDto, 'promoteTo'> {
  /** Aliases to move to the new version, in order, each through the gate. */
  promoteTo?: string[];
}

@Injectable()
export class TrainingJobsService {
  constructor(
    @InjectRepository(TrainingJobEntity) private readonly jobs: Repository<TrainingJobEntity>,
    private readonly producer: TrainingProducer,
    private readonly data: TrainingData,
    private readonly events: EventBus,
    private readonly config: AppConfig,
  ) {}

  /**
   * Validates the request against the dataset, stores it and queues it; identical live requests
   * collapse. The row is written first and is its own outbox: when the queueing fails (Redis down:
   * 503 naming Redis) or the process stops before it, the row stays `queued` and the workers'
   * reconciler queues it later; an identical request meanwhile collapses onto it and retries the
   * queueing (idempotent: the Bull job id is the row's id).
   */
  async create(request: JobRequest, createdBy: string): Promise<{ job: TrainingJobEntity; duplicate: boolean }> {
    // PostgreSQL unreachable: the error filter answers 503 naming it (src/database/postgres-unreachable.ts).
    const recorded = await this.record(request, createdBy);
    if (recorded.job.state === 'queued') await this.producer.train(recorded.job.id);
    return recorded;
  }

  private async record(
    request: JobRequest,
    createdBy: string,
  ): Promise<{ job: TrainingJobEntity; duplicate: boolean }> {
    const dataset = await this.data.resolveVersion(request.dataset, request.version);
    const recipe = await this.recipeFor(request, dataset);
    const model = request.model === undefined ? dataset.datasetName : request.model || null;
    const promoteTo = request.promoteTo?.length ? request.promoteTo.join(',') : null;
    if (promoteTo && !model)
      throw validationFailed([{ field: 'promoteTo', message: 'needs a model to register the version in' }]);
    const requestHash = hashOf({ recipe, versionId: dataset.versionId, model, promoteTo });
    const row = this.jobs.create({
      recipe,
      datasetVersionId: dataset.versionId,
      datasetVersion: dataset.version,
      modelName: model,
      promoteTo,
      requestHash,
      state: 'queued',
      createdBy,
    });
    try {
      await this.jobs.save(row);
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      const live = await this.jobs.findOneBy({ requestHash, state: In(['queued', 'running']) });
      // The live twin ended between the two statements: this request is new after all.
      return live ? { job: live, duplicate: true } : this.record(request, createdBy);
    }
    return { job: row, duplicate: false };
  }

  async get(id: string): Promise<TrainingJobEntity> {
    const job = await this.jobs.findOneBy({ id });
    if (!job) throw new TrainingError(TrainingErrorCode.JOB_NOT_FOUND, `Training job ${id} not found`);
    return job;
  }

  /** A queued or running job of the model submitted by a caller whose id starts with `createdByPrefix`. */
  liveJobOf(model: string, createdByPrefix: string): Promise<TrainingJobEntity | null> {
    return this.jobs.findOne({
      where: { modelName: model, state: In(['queued', 'running']), createdBy: Like(`${createdByPrefix}%`) },
      order: { createdAt: 'ASC' },
    });
  }

  /**
   * Jobs that failed (for good: a retried attempt is not a failure) in `[from, to]`, newest first,
   * of one model, or of any model and none (`model` undefined); at most `limit` of them with the count.
   */
  failedBetween(
    from: Date,
    to: Date,
    model: string | null | undefined,
    limit: number,
  ): Promise<[TrainingJobEntity[], number]> {
    return this.jobs.findAndCount({
      where: {
        state: 'failed',
        finishedAt: Between(from, to),
        ...(model === undefined ? {} : { modelName: model === null ? IsNull() : model }),
      },
      order: { finishedAt: 'DESC' },
      take: limit,
    });
  }

  list(limit: number, offset: number): Promise<[TrainingJobEntity[], number]> {
    return this.jobs.findAndCount({ order: { createdAt: 'DESC' }, take: limit, skip: offset });
  }

  /**
   * A queued job is removed; a running one stops after its current epoch (on whichever worker).
   * Only the principal that submitted it (its `createdBy`) or an admin may cancel it.
   */
  async cancel(id: string, by: { id: string; isAdmin: boolean }): Promise<TrainingJobEntity> {
    const owned = await this.get(id);
    if (!by.isAdmin && owned.createdBy !== by.id)
      throw new TrainingError(
        TrainingErrorCode.JOB_NOT_OWNED,
        `Training job ${id} was created by another caller; only they or an admin may cancel it`,
      );
    // Conditional update: a worker may claim the job at this very moment (see TrainingRunner.run).
    const { affected } = await this.jobs.update(
      { id, state: 'queued' },
      { state: 'cancelled', finishedAt: new Date(), error: 'cancelled by request' },
    );
    if (affected) {
      await this.producer.removeQueued(id);
      return this.get(id);
    }
    const job = await this.get(id);
    if (job.state !== 'running')
      throw new TrainingError(TrainingErrorCode.JOB_ALREADY_ENDED, `Training job ${id} has already ${job.state}`);
    await this.events.publish(TrainingCancelRequested, { jobId: id });
    return job;
  }

  private async recipeFor(
    request: JobRequest,
    dataset: Awaited<ReturnType<TrainingData['resolveVersion']>>,
  ): Promise<TrainingRecipe> {
    const columns = new Set(dataset.schema.columns.map((c) => c.name));
    const target = request.target ?? dataset.target;
    if (!target)
      throw validationFailed([
        { field: 'target', message: `dataset ${dataset.datasetName} has no target column; name one` },
      ]);
    if (!columns.has(target))
      throw validationFailed([
        { field: 'target', message: `dataset ${dataset.datasetName} has no column named ${target}` },
      ]);
    const unknown = (request.features ?? []).filter((f) => !columns.has(f) || f === target);
    if (unknown.length)
      throw validationFailed([
        { field: 'features', message: `not feature columns of ${dataset.datasetName}: ${unknown.join(', ')}` },
      ]);
    let hyperparameters;
    try {
      hyperparameters = resolveHyperparameters(request.hyperparameters);
    } catch (err) {
      if (err instanceof MlInputError)
        throw validationFailed([{ field: err.field, message: err.message.replace(`${err.field}: `, '') }]);
      throw err;
    }
    // Last: it may scan the version (an integer target), so cheaper refusals come first.
    const resolved = await resolveTarget(request, dataset, target, this.data);
    return {
      dataset: dataset.datasetName,
      target,
      task: resolved.task,
      family: request.family,
      hyperparameters: hyperparameters as unknown as Record<string, unknown>,
      seed: request.seed,
      ...(resolved.positiveClass !== undefined ? { positiveClass: resolved.positiveClass } : {}),
      ...(request.features ? { features: request.features } : {}),
    };
  }
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
