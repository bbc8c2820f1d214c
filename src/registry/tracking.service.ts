import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ArtifactStore } from './artifact-store';
import type { ArtifactDto, MetricPointDto, RunDto } from './dto/run.dto';
import type { ExperimentDto } from './dto/experiment.dto';
import { ArtifactEntity } from './entities/artifact.entity';
import { ExperimentEntity } from './entities/experiment.entity';
import { RunMetricEntity } from './entities/run-metric.entity';
import { RunEntity, type RunStatus } from './entities/run.entity';
import { MirrorProducer } from './mlflow/mirror.producer';
import { RegistryError, RegistryErrorCode } from './registry.errors';
import { codeVersion } from './registry-settings';
import { toArtifactDto, toExperimentDto, toRunDto } from './registry-mappers';
import { KEY_PATTERN, runSearchSql, type RunSearch } from './run-search';

export interface StartRunInput {
  experimentName: string;
  /** Principal id (principalId()) of whoever started the training. */
  startedBy: string;
  name?: string;
  params?: Record<string, string | number | boolean>;
  tags?: Record<string, string>;
  datasetVersionId?: string | null;
  datasetHash?: string | null;
  backend?: string | null;
}

export type ParamValue = string | number | boolean;

/**
 * Experiment tracking (the port training calls): experiments, runs, parameters, per-epoch and
 * final metrics, status and artifacts. Every change queues an MLflow sync without waiting for it.
 */
@Injectable()
export class TrackingService {
  constructor(
    @InjectRepository(ExperimentEntity) private readonly experiments: Repository<ExperimentEntity>,
    @InjectRepository(RunEntity) private readonly runs: Repository<RunEntity>,
    @InjectRepository(RunMetricEntity) private readonly points: Repository<RunMetricEntity>,
    @InjectRepository(ArtifactEntity) private readonly artifacts: Repository<ArtifactEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: ArtifactStore,
    private readonly mirror: MirrorProducer,
    private readonly config: AppConfig,
  ) {}

  /** Gets the experiment by name, creating it if absent (safe under concurrent callers). */
  async ensureExperiment(name: string, createdBy: string, description?: string): Promise<ExperimentDto> {
    await this.experiments
      .createQueryBuilder()
      .insert()
      .values({ name, createdBy, description: description ?? null })
      .orIgnore()
      .execute();
    return toExperimentDto(await this.experiments.findOneByOrFail({ name }));
  }

  async listExperiments(limit = 100, offset = 0): Promise<ExperimentDto[]> {
    return (await this.experiments.find({ order: { createdAt: 'DESC', id: 'ASC' }, take: limit, skip: offset })).map(
      toExperimentDto,
    );
  }

  async getExperiment(idOrName: string): Promise<ExperimentDto> {
    const found = await this.experiments
      .createQueryBuilder('e')
      .where('e.id::text = :v OR e.name = :v', { v: idOrName })
      .getOne();
    if (!found) throw new RegistryError(RegistryErrorCode.EXPERIMENT_NOT_FOUND, `Experiment ${idOrName} not found`);
    return toExperimentDto(found);
  }

  async startRun(input: StartRunInput): Promise<RunDto> {
    // Checked before the experiment is created, so a refused run leaves nothing behind.
    const params = normaliseParams(input.params ?? {});
    const tags = checkKeys(input.tags ?? {}, 'tags');
    const experiment = await this.ensureExperiment(input.experimentName, input.startedBy);
    const run = await this.runs.save(
      this.runs.create({
        experimentId: experiment.id,
        name: input.name ?? `run-${new Date().toISOString()}`,
        status: 'running',
        params,
        tags,
        metrics: {},
        datasetVersionId: input.datasetVersionId ?? null,
        datasetHash: input.datasetHash ?? null,
        codeVersion: codeVersion(this.config),
        backend: input.backend ?? null,
        startedBy: input.startedBy,
        startedAt: new Date(),
        mirrorStatus: this.mirror.initialStatus(),
        mirrorAttempts: 0,
        finalMetricsMirrored: true,
      }),
    );
    this.mirror.requestRun(run.id);
    return this.getRun(run.id);
  }

  /** Adds parameters; like MLflow, a parameter once logged cannot change value (409). */
  async logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    const incoming = normaliseParams(params);
    await this.dataSource.transaction(async (m) => {
      const run = await m
        .getRepository(RunEntity)
        .findOne({ where: { id: runId }, lock: { mode: 'pessimistic_write' } });
      if (!run) throw new RegistryError(RegistryErrorCode.RUN_NOT_FOUND, `Run ${runId} not found`);
      const changed = Object.entries(incoming).filter(([k, v]) => k in run.params && run.params[k] !== v);
      if (changed.length)
        throw new RegistryError(
          RegistryErrorCode.PARAMS_IMMUTABLE,
          `Parameters cannot change once logged: ${changed.map(([k]) => k).join(', ')}`,
        );
      await m.getRepository(RunEntity).update(runId, { params: { ...run.params, ...incoming } });
    });
    this.mirror.requestRun(runId);
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    checkKeys(tags, 'tags');
    const res = await this.dataSource.query<unknown[][]>(
      `UPDATE registry.runs SET tags = tags || $2::jsonb WHERE id = $1 RETURNING id`,
      [runId, JSON.stringify(tags)],
    );
    if (!res[0]?.length) throw new RegistryError(RegistryErrorCode.RUN_NOT_FOUND, `Run ${runId} not found`);
    this.mirror.requestRun(runId);
  }

  /** Per-epoch metrics: one point per key at `step` (re-logging a step overwrites it). */
  async logMetrics(runId: string, metrics: Record<string, number>, step: number): Promise<void> {
    checkMetrics(metrics);
    if (!Number.isInteger(step) || step < 0)
      throw new RegistryError(RegistryErrorCode.INVALID_RUN_INPUT, 'Invalid step', [
        { field: 'step', message: 'must be an integer >= 0' },
      ]);
    await this.requireRun(runId);
    const keys = Object.keys(metrics);
    if (keys.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO registry.run_metrics (run_id, key, step, value, logged_at, mirrored)
       SELECT $1, k, $2, v, clock_timestamp(), false FROM unnest($3::text[], $4::float8[]) AS t(k, v)
       ON CONFLICT (run_id, key, step) DO UPDATE SET value = EXCLUDED.value, logged_at = EXCLUDED.logged_at, mirrored = false`,
      [runId, step, keys, keys.map((k) => metrics[k])],
    );
    this.mirror.requestRun(runId);
  }

  /** Final (held-out) metrics: the ones searched, ordered by and copied to model versions. */
  async logFinalMetrics(runId: string, metrics: Record<string, number>): Promise<void> {
    checkMetrics(metrics);
    const res = await this.dataSource.query<unknown[][]>(
      `UPDATE registry.runs SET metrics = metrics || $2::jsonb, final_metrics_mirrored = false WHERE id = $1 RETURNING id`,
      [runId, JSON.stringify(metrics)],
    );
    if (!res[0]?.length) throw new RegistryError(RegistryErrorCode.RUN_NOT_FOUND, `Run ${runId} not found`);
    this.mirror.requestRun(runId);
  }

  async endRun(runId: string, status: Exclude<RunStatus, 'running'>, error?: string): Promise<RunDto> {
    const run = await this.requireRun(runId);
    if (run.status !== 'running')
      throw new RegistryError(RegistryErrorCode.RUN_ENDED, `Run ${runId} already ended (${run.status})`);
    await this.runs.update(runId, { status, endedAt: new Date(), error: error ?? null });
    this.mirror.requestRun(runId);
    return this.getRun(runId);
  }

  /** Stores bytes as the run's artifact `name` (e.g. the model bundle), replacing a previous one. */
  async putArtifact(
    runId: string,
    name: string,
    data: Buffer,
    contentType = 'application/octet-stream',
  ): Promise<ArtifactDto> {
    if (!/^[A-Za-z0-9_.\-]+(\/[A-Za-z0-9_.\-]+)*$/.test(name) || name.split('/').includes('..')) {
      throw new RegistryError(RegistryErrorCode.INVALID_RUN_INPUT, 'Invalid artifact name', [
        { field: 'name', message: 'path segments of letters, digits, _ . - separated by /' },
      ]);
    }
    await this.requireRun(runId);
    const key = `runs/${runId}/${name}`;
    const stored = await this.store.put(key, data);
    await this.artifacts.upsert(
      {
        runId,
        name,
        store: this.store.name,
        storeKey: key,
        sha256: stored.sha256,
        size: stored.size,
        contentType,
        mirrored: false,
      },
      ['runId', 'name'],
    );
    this.mirror.requestRun(runId);
    return toArtifactDto(await this.artifacts.findOneByOrFail({ runId, name }));
  }

  async getArtifact(runId: string, name: string): Promise<{ artifact: ArtifactDto; data: Buffer }> {
    const artifact = await this.artifacts.findOneBy({ runId, name });
    if (!artifact)
      throw new RegistryError(RegistryErrorCode.ARTIFACT_NOT_FOUND, `Artifact ${name} of run ${runId} not found`);
    return { artifact: toArtifactDto(artifact), data: await this.readArtifact(artifact) };
  }

  async getRun(runId: string): Promise<RunDto> {
    const run = await this.requireRun(runId);
    const experiment = await this.experiments.findOneByOrFail({ id: run.experimentId });
    const points = await this.points.find({ where: { runId }, order: { key: 'ASC', step: 'ASC' } });
    const metricHistory: Record<string, MetricPointDto[]> = {};
    for (const p of points)
      (metricHistory[p.key] ??= []).push({ step: p.step, value: p.value, loggedAt: p.loggedAt.toISOString() });
    const artifacts = await this.artifacts.find({ where: { runId }, order: { name: 'ASC' } });
    return { ...toRunDto(run, experiment.name), metricHistory, artifacts: artifacts.map(toArtifactDto) };
  }

  async searchRuns(search: RunSearch): Promise<RunDto[]> {
    const { where, orderBy, paging, values } = runSearchSql(search);
    const ids = await this.dataSource.query<{ id: string; experiment_name: string }[]>(
      `SELECT r.id, e.name AS experiment_name FROM registry.runs r JOIN registry.experiments e ON e.id = r.experiment_id ${where} ORDER BY ${orderBy} ${paging}`,
      values,
    );
    if (ids.length === 0) return [];
    const rows = await this.runs.findByIds(ids.map((r) => r.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map(({ id, experiment_name }) => toRunDto(byId.get(id) as RunEntity, experiment_name));
  }

  /** Queues a fresh mirror of the whole run (after a `failed` mirror, or to repair MLflow). */
  async remirror(runId: string): Promise<RunDto> {
    await this.requireRun(runId);
    if (!this.mirror.enabled)
      throw new RegistryError(
        RegistryErrorCode.MIRROR_DISABLED,
        'MLflow mirroring is disabled (MLFLOW_TRACKING_URI is not set)',
      );
    // Everything is sent again; MLflow treats identical params/tags as no-ops.
    await this.dataSource.query('UPDATE registry.run_metrics SET mirrored = false WHERE run_id = $1', [runId]);
    await this.dataSource.query(
      `UPDATE registry.runs SET final_metrics_mirrored = (metrics = '{}'::jsonb), mirror_status = 'pending', mirror_error = NULL, mirror_attempts = 0 WHERE id = $1`,
      [runId],
    );
    await this.dataSource.query('UPDATE registry.artifacts SET mirrored = false WHERE run_id = $1', [runId]);
    this.mirror.requestRun(runId, { resetAttempts: true });
    return this.getRun(runId);
  }

  /** Internal: the bytes of an artifact row, from whichever store holds them. */
  async readArtifact(artifact: { storeKey: string; name: string }): Promise<Buffer> {
    const data = await this.store.get(artifact.storeKey);
    if (!data)
      throw new RegistryError(RegistryErrorCode.ARTIFACT_DATA_MISSING, `Bytes of artifact ${artifact.name} not found`);
    return data;
  }

  private async requireRun(runId: string): Promise<RunEntity> {
    const run = isUuid(runId) ? await this.runs.findOneBy({ id: runId }) : null;
    if (!run) throw new RegistryError(RegistryErrorCode.RUN_NOT_FOUND, `Run ${runId} not found`);
    return run;
  }
}

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

function checkKeys<T>(map: Record<string, T>, field: string): Record<string, T> {
  const bad = Object.keys(map).filter((k) => !KEY_PATTERN.test(k));
  if (bad.length)
    throw new RegistryError(
      RegistryErrorCode.INVALID_RUN_INPUT,
      `Invalid ${field} names`,
      bad.map((k) => ({
        field: `${field}.${k}`,
        message: 'letters, digits, _ . - / and spaces, up to 250 characters',
      })),
    );
  return map;
}

function normaliseParams(params: Record<string, ParamValue>): Record<string, string> {
  checkKeys(params, 'params');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (!['string', 'number', 'boolean'].includes(typeof v))
      throw new RegistryError(RegistryErrorCode.INVALID_RUN_INPUT, 'Invalid parameter', [
        { field: `params.${k}`, message: 'must be a string, number or boolean' },
      ]);
    out[k] = String(v);
  }
  return out;
}

function checkMetrics(metrics: Record<string, number>): void {
  checkKeys(metrics, 'metrics');
  const bad = Object.entries(metrics).filter(([, v]) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad.length)
    throw new RegistryError(
      RegistryErrorCode.INVALID_RUN_INPUT,
      'Invalid metrics',
      bad.map(([k]) => ({ field: `metrics.${k}`, message: 'must be a finite number' })),
    );
}
