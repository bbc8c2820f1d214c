import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ModelVersionDto, RegisteredModelDto } from './dto/model.dto';
import { ArtifactEntity } from './entities/artifact.entity';
import { ModelAliasEntity } from './entities/model-alias.entity';
import { ModelVersionEntity } from './entities/model-version.entity';
import { RegisteredModelEntity } from './entities/registered-model.entity';
import { RunEntity } from './entities/run.entity';
import { MirrorProducer } from './mlflow/mirror.producer';
import { RegistryError, RegistryErrorCode } from './registry.errors';
import { TrackingService } from './tracking.service';

export const DEFAULT_BUNDLE_ARTIFACT = 'model/bundle.json';

export interface RegisterVersionInput {
  runId: string;
  /** Run artifact holding the bundle; default `model/bundle.json`. */
  artifactName?: string;
  /** Held-out data the metrics were measured on; default the run's dataset version. */
  evaluationDatasetVersionId?: string;
  /** How the held-out part was split; default the run's `evaluation_split` tag. */
  evaluationSplit?: string;
  description?: string;
}

export interface AliasHolder {
  model: string;
  version: number;
}

/** Which models an alias serves (`versions`, possibly capped) out of how many. */
export interface AliasHolders {
  /** Registered models, with or without the alias. */
  models: number;
  /** Models that hold the alias (`versions` lists the first of them by name). */
  holders: number;
  versions: AliasHolder[];
}

/** Registered models and versions; `aliasVersion` and `bundleOf` are what inference calls. */
@Injectable()
export class ModelRegistryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tracking: TrackingService,
    private readonly mirror: MirrorProducer,
  ) {}

  /** Registers the run's bundle as the model's next version (creating the model on first use). */
  async registerVersion(modelName: string, input: RegisterVersionInput, createdBy: string): Promise<ModelVersionDto> {
    const artifactName = input.artifactName ?? DEFAULT_BUNDLE_ARTIFACT;
    const created = await this.dataSource.transaction(async (m) => {
      const run = await m.getRepository(RunEntity).findOneBy({ id: input.runId });
      if (!run)
        throw new RegistryError(RegistryErrorCode.UNKNOWN_RUN, 'Unknown run', [
          { field: 'runId', message: `run ${input.runId} does not exist` },
        ]);
      if (run.status !== 'finished')
        throw new RegistryError(
          RegistryErrorCode.RUN_NOT_FINISHED,
          `Run ${run.id} is ${run.status}; only finished runs can be registered`,
        );
      const artifact = await m.getRepository(ArtifactEntity).findOneBy({ runId: run.id, name: artifactName });
      if (!artifact)
        throw new RegistryError(RegistryErrorCode.RUN_HAS_NO_BUNDLE, 'The run has no bundle', [
          { field: 'artifactName', message: `run ${run.id} has no artifact ${artifactName}` },
        ]);
      await m
        .createQueryBuilder()
        .insert()
        .into(RegisteredModelEntity)
        .values({ name: modelName, createdBy, mirrorStatus: this.mirror.enabled ? 'pending' : 'disabled' })
        .orIgnore()
        .execute();
      const model = await this.lockModel(m, modelName);
      const [{ next }] = await m.query<[{ next: number }]>(
        'SELECT COALESCE(MAX(version), 0) + 1 AS next FROM registry.model_versions WHERE model_id = $1',
        [model.id],
      );
      return m.getRepository(ModelVersionEntity).save({
        modelId: model.id,
        version: next,
        runId: run.id,
        artifactId: artifact.id,
        metrics: run.metrics,
        datasetVersionId: run.datasetVersionId,
        evaluationDatasetVersionId: input.evaluationDatasetVersionId ?? run.datasetVersionId,
        evaluationSplit: input.evaluationSplit ?? run.tags['evaluation_split'] ?? null,
        description: input.description ?? null,
        createdBy,
      });
    });
    this.mirror.requestModel(modelName);
    return this.getVersion(modelName, created.version);
  }

  async listModels(limit = 100, offset = 0): Promise<RegisteredModelDto[]> {
    const models = await this.dataSource
      .getRepository(RegisteredModelEntity)
      .find({ order: { name: 'ASC' }, take: limit, skip: offset });
    return Promise.all(models.map((m) => this.describeModel(m)));
  }

  async getModel(name: string): Promise<RegisteredModelDto> {
    return this.describeModel(await this.requireModel(name));
  }

  async listVersions(name: string): Promise<ModelVersionDto[]> {
    const model = await this.requireModel(name);
    return this.versionDtos(model, 'v.model_id = $1 ORDER BY v.version DESC', [model.id]);
  }

  async getVersion(name: string, version: number): Promise<ModelVersionDto> {
    const model = await this.requireModel(name);
    const [found] = await this.versionDtos(model, 'v.model_id = $1 AND v.version = $2', [model.id, version]);
    if (!found)
      throw new RegistryError(RegistryErrorCode.VERSION_NOT_FOUND, `Version ${version} of model ${name} not found`);
    return found;
  }

  /**
   * The version number an alias names, in one query that reads no artifact: inference asks again
   * whenever its cached alias expires. 404 for an unknown model or alias, as `versionForAlias`.
   */
  async aliasVersion(name: string, alias: string): Promise<number> {
    const rows = await this.dataSource.query<{ version: number | null }[]>(
      `SELECT v.version FROM registry.registered_models m
         LEFT JOIN registry.model_aliases a ON a.model_id = m.id AND a.alias = $2
         LEFT JOIN registry.model_versions v ON v.id = a.version_id
        WHERE m.name = $1`,
      [name, alias],
    );
    if (!rows.length) throw new RegistryError(RegistryErrorCode.MODEL_NOT_FOUND, `Model ${name} not found`);
    if (rows[0].version === null)
      throw new RegistryError(RegistryErrorCode.ALIAS_NOT_FOUND, `Alias ${alias} of model ${name} not found`);
    return rows[0].version;
  }

  /** The newest `limit` version numbers of a model, newest first, and how many it has (404 for an unknown model). */
  async newestVersions(name: string, limit: number): Promise<{ newest: number[]; total: number }> {
    const rows = await this.dataSource.query<{ newest: number[]; total: number }[]>(
      `SELECT COALESCE((SELECT array_agg(version ORDER BY version DESC) FROM (
                SELECT version FROM registry.model_versions WHERE model_id = m.id ORDER BY version DESC LIMIT $2) newest), '{}') AS newest,
              (SELECT count(*)::int FROM registry.model_versions WHERE model_id = m.id) AS total
         FROM registry.registered_models m WHERE m.name = $1`,
      [name, limit],
    );
    if (!rows.length) throw new RegistryError(RegistryErrorCode.MODEL_NOT_FOUND, `Model ${name} not found`);
    return rows[0];
  }

  /**
   * The versions one alias names, the first `limit` models by name, with how many models hold the
   * alias and how many there are: one query however large the registry (the API docs ask it).
   */
  async aliasHolders(alias: string, limit: number): Promise<AliasHolders> {
    const [row] = await this.dataSource.query<[{ models: number; holders: number; versions: AliasHolder[] }]>(
      `WITH held AS (
         SELECT m.name AS model, v.version FROM registry.model_aliases a
           JOIN registry.registered_models m ON m.id = a.model_id
           JOIN registry.model_versions v ON v.id = a.version_id
          WHERE a.alias = $1)
       SELECT (SELECT count(*) FROM registry.registered_models)::int AS models,
              (SELECT count(*) FROM held)::int AS holders,
              COALESCE((SELECT json_agg(h ORDER BY h.model)
                          FROM (SELECT * FROM held ORDER BY model LIMIT $2) h), '[]'::json) AS versions`,
      [alias, limit],
    );
    return row;
  }

  /** The bundle bytes of one version (404 for an unknown model or version). */
  async bundleOf(name: string, version: number): Promise<Buffer> {
    const found = await this.getVersion(name, version);
    return (await this.tracking.getArtifact(found.runId, found.artifactName)).data;
  }

  async versionForAlias(name: string, alias: string): Promise<ModelVersionDto> {
    const model = await this.requireModel(name);
    const [found] = await this.versionDtos(
      model,
      'v.model_id = $1 AND v.id = (SELECT version_id FROM registry.model_aliases WHERE model_id = $1 AND alias = $2)',
      [model.id, alias],
    );
    if (!found) throw new RegistryError(RegistryErrorCode.ALIAS_NOT_FOUND, `Alias ${alias} of model ${name} not found`);
    return found;
  }

  /** Deletes a version; 409 while it holds an alias (move the alias first). */
  async deleteVersion(name: string, version: number): Promise<void> {
    const deleted = await this.dataSource.transaction(async (m) => {
      const model = await this.lockModel(m, name);
      const row = await m.getRepository(ModelVersionEntity).findOneBy({ modelId: model.id, version });
      if (!row)
        throw new RegistryError(RegistryErrorCode.VERSION_NOT_FOUND, `Version ${version} of model ${name} not found`);
      const aliases = await m.getRepository(ModelAliasEntity).findBy({ versionId: row.id });
      if (aliases.length)
        throw new RegistryError(
          RegistryErrorCode.VERSION_HOLDS_ALIAS,
          `Version ${version} of ${name} holds alias(es) ${aliases.map((a) => a.alias).join(', ')}; move them first`,
        );
      await m.getRepository(ModelVersionEntity).delete({ id: row.id });
      return row;
    });
    if (deleted.mlflowVersion) this.mirror.requestVersionDeletion(name, deleted.mlflowVersion);
  }

  /** Whether a registered model version was trained or evaluated on this dataset version. */
  async isDatasetVersionUsed(datasetVersionId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM registry.model_versions WHERE dataset_version_id = $1 OR evaluation_dataset_version_id = $1 LIMIT 1',
      [datasetVersionId],
    );
    return rows.length > 0;
  }

  /** Locks the model row: version numbering, alias moves and deletions of one model serialise. */
  async lockModel(m: EntityManager, name: string): Promise<RegisteredModelEntity> {
    const model = await m
      .getRepository(RegisteredModelEntity)
      .findOne({ where: { name }, lock: { mode: 'pessimistic_write' } });
    if (!model) throw new RegistryError(RegistryErrorCode.MODEL_NOT_FOUND, `Model ${name} not found`);
    return model;
  }

  private async requireModel(name: string): Promise<RegisteredModelEntity> {
    const model = await this.dataSource.getRepository(RegisteredModelEntity).findOneBy({ name });
    if (!model) throw new RegistryError(RegistryErrorCode.MODEL_NOT_FOUND, `Model ${name} not found`);
    return model;
  }

  private async describeModel(model: RegisteredModelEntity): Promise<RegisteredModelDto> {
    const aliases = await this.dataSource.query<{ alias: string; version: number }[]>(
      'SELECT a.alias, v.version FROM registry.model_aliases a JOIN registry.model_versions v ON v.id = a.version_id WHERE a.model_id = $1 ORDER BY a.alias',
      [model.id],
    );
    const [{ latest }] = await this.dataSource.query<[{ latest: number | null }]>(
      'SELECT MAX(version) AS latest FROM registry.model_versions WHERE model_id = $1',
      [model.id],
    );
    return {
      id: model.id,
      name: model.name,
      description: model.description,
      aliases: Object.fromEntries(aliases.map((a) => [a.alias, a.version])),
      latestVersion: latest,
      createdBy: model.createdBy,
      createdAt: model.createdAt.toISOString(),
      mirrorStatus: model.mirrorStatus,
      mirrorError: model.mirrorError,
    };
  }

  private async versionDtos(
    model: RegisteredModelEntity,
    where: string,
    values: unknown[],
  ): Promise<ModelVersionDto[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT v.*, a.name AS artifact_name, a.sha256, a.size,
              r.params->>'task' AS task, r.params->>'positiveClass' AS positive_class,
              COALESCE((SELECT array_agg(alias ORDER BY alias) FROM registry.model_aliases WHERE version_id = v.id), '{}') AS aliases
         FROM registry.model_versions v JOIN registry.artifacts a ON a.id = v.artifact_id
         LEFT JOIN registry.runs r ON r.id = v.run_id WHERE ${where}`,
      values,
    );
    return rows.map((r) => ({
      id: r.id as string,
      modelName: model.name,
      version: r.version as number,
      runId: r.run_id as string,
      artifactName: r.artifact_name as string,
      bundleSha256: r.sha256 as string,
      bundleSize: Number(r.size),
      metrics: r.metrics as Record<string, number>,
      task: r.task as string | null,
      positiveClass: r.positive_class as string | null,
      datasetVersionId: r.dataset_version_id as string | null,
      evaluationDatasetVersionId: r.evaluation_dataset_version_id as string | null,
      evaluationSplit: r.evaluation_split as string | null,
      description: r.description as string | null,
      aliases: r.aliases as string[],
      createdBy: r.created_by as string,
      createdAt: (r.created_at as Date).toISOString(),
      mlflowVersion: r.mlflow_version as string | null,
    }));
  }
}
