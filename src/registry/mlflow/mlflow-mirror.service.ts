import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ArtifactStore } from '../artifact-store';
import { ArtifactEntity } from '../entities/artifact.entity';
import { ExperimentEntity } from '../entities/experiment.entity';
import { ModelVersionEntity } from '../entities/model-version.entity';
import { RegisteredModelEntity } from '../entities/registered-model.entity';
import { RunEntity } from '../entities/run.entity';
import { MlflowClient, MlflowError } from './mlflow-client';
import { chunk, mlflowRunTags, mlflowStatus, ms } from './mlflow-mapping';

interface MlflowRun {
  info: { run_id: string; artifact_uri?: string };
}

/**
 * Makes MLflow match PostgreSQL (the system of record), idempotently: every step can be replayed
 * after a crash or a retry. Things created on MLflow carry our id as a tag (`mlapi.run_id`,
 * `mlapi.version`) so a retry finds them instead of creating duplicates.
 */
@Injectable()
export class MlflowMirrorService {
  constructor(
    private readonly mlflow: MlflowClient,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: ArtifactStore,
  ) {}

  /** Syncs the run until it has caught up with its latest change (mirror_requested_at). */
  async syncRun(runId: string): Promise<void> {
    for (let round = 0; round < 20; round++) {
      const [{ now }] = await this.dataSource.query<[{ now: Date }]>('SELECT clock_timestamp() AS now');
      const run = await this.dataSource.getRepository(RunEntity).findOneBy({ id: runId });
      if (!run) return; // deleted meanwhile: nothing to mirror
      await this.syncRunOnce(run);
      const done = await this.dataSource.query<[unknown[], number]>(
        `UPDATE registry.runs SET mirror_status = 'synced', mirror_error = NULL, mirror_attempts = 0, mirror_synced_at = now()
          WHERE id = $1 AND (mirror_requested_at IS NULL OR mirror_requested_at <= $2) RETURNING id`,
        [runId, now],
      );
      if (done[0].length) return;
    }
  }

  async recordRunFailure(runId: string, error: string, final: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE registry.runs SET mirror_error = $2, mirror_attempts = mirror_attempts + 1, mirror_status = $3 WHERE id = $1`,
      [runId, error.slice(0, 2000), final ? 'failed' : 'pending'],
    );
  }

  async recordModelFailure(modelName: string, error: string, final: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE registry.registered_models SET mirror_error = $2, mirror_status = $3 WHERE name = $1`,
      [modelName, error.slice(0, 2000), final ? 'failed' : 'pending'],
    );
  }

  private async syncRunOnce(run: RunEntity): Promise<void> {
    const experimentId = await this.ensureExperiment(run.experimentId);
    const mlflowRun = await this.ensureRun(run, experimentId);
    const runIdOnMlflow = mlflowRun.info.run_id;

    // MLflow caps param values at 6000 and tag values at 8000 characters.
    const params = Object.entries(run.params).map(([key, value]) => ({ key, value: value.slice(0, 6000) }));
    const tags = [
      ...mlflowRunTags(run),
      ...Object.entries(run.tags).map(([key, value]) => ({ key, value: value.slice(0, 8000) })),
    ];
    // MLflow limits one log-batch to 100 params, 100 tags, 1000 metrics.
    for (const part of chunk(params, 100))
      await this.mlflow.post('runs/log-batch', { run_id: runIdOnMlflow, params: part });
    for (const part of chunk(tags, 100))
      await this.mlflow.post('runs/log-batch', { run_id: runIdOnMlflow, tags: part });

    const points = await this.dataSource.query<{ key: string; step: number; value: number; logged_at: Date }[]>(
      'SELECT key, step, value, logged_at FROM registry.run_metrics WHERE run_id = $1 AND NOT mirrored ORDER BY key, step',
      [run.id],
    );
    for (const part of chunk(points, 1000)) {
      await this.mlflow.post('runs/log-batch', {
        run_id: runIdOnMlflow,
        metrics: part.map((p) => ({ key: p.key, value: p.value, step: p.step, timestamp: ms(p.logged_at) })),
      });
      // Only the points sent, as they were sent: a step re-logged meanwhile stays unmirrored.
      await this.dataSource.query(
        `UPDATE registry.run_metrics m SET mirrored = true FROM unnest($2::text[], $3::int[], $4::timestamptz[]) AS s(key, step, logged_at)
          WHERE m.run_id = $1 AND m.key = s.key AND m.step = s.step AND m.logged_at = s.logged_at`,
        [run.id, part.map((p) => p.key), part.map((p) => p.step), part.map((p) => p.logged_at)],
      );
    }

    if (!run.finalMetricsMirrored && Object.keys(run.metrics).length) {
      const maxSteps = await this.dataSource.query<{ key: string; step: number }[]>(
        'SELECT key, MAX(step) AS step FROM registry.run_metrics WHERE run_id = $1 GROUP BY key',
        [run.id],
      );
      const stepOf = new Map(maxSteps.map((r) => [r.key, r.step]));
      // At the last step of a same-named history, later timestamp: MLflow shows it as the latest value.
      const metrics = Object.entries(run.metrics).map(([key, value]) => ({
        key,
        value,
        step: stepOf.get(key) ?? 0,
        timestamp: ms(run.endedAt ?? new Date()),
      }));
      await this.mlflow.post('runs/log-batch', { run_id: runIdOnMlflow, metrics });
      await this.dataSource.query(
        'UPDATE registry.runs SET final_metrics_mirrored = true WHERE id = $1 AND metrics = $2::jsonb',
        [run.id, JSON.stringify(run.metrics)],
      );
    }

    const artifacts = await this.dataSource.getRepository(ArtifactEntity).findBy({ runId: run.id, mirrored: false });
    const artifactUri = mlflowRun.info.artifact_uri ?? '';
    for (const artifact of artifacts) {
      if (artifactUri.startsWith('mlflow-artifacts:')) {
        const data = await this.store.get(artifact.storeKey);
        if (!data) throw new Error(`artifact ${artifact.name} has no bytes in the ${artifact.store} store`);
        const root = artifactUri.replace(/^mlflow-artifacts:\/*/, '');
        await this.mlflow.putArtifact(`${root}/${artifact.name}`, data, artifact.contentType);
      } else {
        // No artifact proxy (e.g. Azure ML's own store): record where the bytes live instead.
        await this.mlflow.post('runs/set-tag', {
          run_id: runIdOnMlflow,
          key: `mlapi.artifact.${artifact.name}`,
          value: `ml-api:${artifact.store}:${artifact.storeKey} sha256=${artifact.sha256} size=${artifact.size}`,
        });
      }
      await this.dataSource.query('UPDATE registry.artifacts SET mirrored = true WHERE id = $1 AND sha256 = $2', [
        artifact.id,
        artifact.sha256,
      ]);
    }

    await this.mlflow.post('runs/update', {
      run_id: runIdOnMlflow,
      status: mlflowStatus(run.status),
      ...(run.endedAt ? { end_time: ms(run.endedAt) } : {}),
    });
  }

  private async ensureExperiment(experimentId: string): Promise<string> {
    const repo = this.dataSource.getRepository(ExperimentEntity);
    const experiment = await repo.findOneByOrFail({ id: experimentId });
    if (experiment.mlflowExperimentId) return experiment.mlflowExperimentId;
    let id: string;
    try {
      id = (
        await this.mlflow.post<{ experiment_id: string }>('experiments/create', {
          name: experiment.name,
          tags: [{ key: 'mlapi.experiment_id', value: experiment.id }],
        })
      ).experiment_id;
    } catch (err) {
      if (!(err instanceof MlflowError && err.errorCode === 'RESOURCE_ALREADY_EXISTS')) throw err;
      id = (
        await this.mlflow.get<{ experiment: { experiment_id: string } }>('experiments/get-by-name', {
          experiment_name: experiment.name,
        })
      ).experiment.experiment_id;
    }
    await repo.update(experiment.id, { mlflowExperimentId: id });
    return id;
  }

  private async ensureRun(run: RunEntity, experimentId: string): Promise<MlflowRun> {
    if (run.mlflowRunId)
      return (await this.mlflow.get<{ run: MlflowRun }>('runs/get', { run_id: run.mlflowRunId })).run;
    const found = await this.mlflow.post<{ runs?: MlflowRun[] }>('runs/search', {
      experiment_ids: [experimentId],
      filter: `tags.\`mlapi.run_id\` = '${run.id}'`,
      max_results: 1,
    });
    const mlflowRun =
      found.runs?.[0] ??
      (
        await this.mlflow.post<{ run: MlflowRun }>('runs/create', {
          experiment_id: experimentId,
          run_name: run.name,
          start_time: ms(run.startedAt),
          user_id: run.startedBy,
          tags: [{ key: 'mlapi.run_id', value: run.id }],
        })
      ).run;
    await this.dataSource.getRepository(RunEntity).update(run.id, { mlflowRunId: mlflowRun.info.run_id });
    run.mlflowRunId = mlflowRun.info.run_id;
    return mlflowRun;
  }

  /** Registered model, its versions (created from the mirrored runs) and aliases. */
  async syncModel(modelName: string): Promise<void> {
    const model = await this.dataSource.getRepository(RegisteredModelEntity).findOneBy({ name: modelName });
    if (!model) return;
    try {
      await this.mlflow.post('registered-models/create', {
        name: model.name,
        description: model.description ?? undefined,
      });
    } catch (err) {
      if (!(err instanceof MlflowError && err.errorCode === 'RESOURCE_ALREADY_EXISTS')) throw err;
    }
    const versions = await this.dataSource
      .getRepository(ModelVersionEntity)
      .find({ where: { modelId: model.id }, order: { version: 'ASC' } });
    for (const version of versions.filter((v) => !v.mlflowVersion)) await this.syncVersion(model.name, version);
    const aliases = await this.dataSource.query<{ alias: string; mlflow_version: string }[]>(
      'SELECT a.alias, v.mlflow_version FROM registry.model_aliases a JOIN registry.model_versions v ON v.id = a.version_id WHERE a.model_id = $1',
      [model.id],
    );
    for (const a of aliases)
      await this.mlflow.post('registered-models/alias', {
        name: model.name,
        alias: a.alias,
        version: a.mlflow_version,
      });
    await this.dataSource.query(
      `UPDATE registry.registered_models SET mirror_status = 'synced', mirror_error = NULL WHERE id = $1`,
      [model.id],
    );
  }

  async deleteVersion(modelName: string, mlflowVersion: string): Promise<void> {
    try {
      await this.mlflow.delete('model-versions/delete', { name: modelName, version: mlflowVersion });
    } catch (err) {
      if (!(err instanceof MlflowError && err.errorCode === 'RESOURCE_DOES_NOT_EXIST')) throw err;
    }
  }

  private async syncVersion(modelName: string, version: ModelVersionEntity): Promise<void> {
    let run = await this.dataSource.getRepository(RunEntity).findOneByOrFail({ id: version.runId });
    if (!run.mlflowRunId || run.mirrorStatus !== 'synced') {
      await this.syncRun(run.id);
      run = await this.dataSource.getRepository(RunEntity).findOneByOrFail({ id: version.runId });
    }
    const mlflowRun = (await this.mlflow.get<{ run: MlflowRun }>('runs/get', { run_id: run.mlflowRunId as string }))
      .run;
    const existing = await this.mlflow.get<{
      model_versions?: { version: string; tags?: { key: string; value: string }[] }[];
    }>('model-versions/search', {
      filter: `name='${modelName}'`,
      max_results: '1000',
    });
    const match = existing.model_versions?.find((v) =>
      v.tags?.some((t) => t.key === 'mlapi.version' && t.value === String(version.version)),
    );
    let mlflowVersion = match?.version;
    if (!mlflowVersion) {
      const artifact = await this.dataSource.getRepository(ArtifactEntity).findOneByOrFail({ id: version.artifactId });
      const dir = artifact.name.includes('/') ? artifact.name.slice(0, artifact.name.lastIndexOf('/')) : artifact.name;
      const created = await this.mlflow.post<{ model_version: { version: string } }>('model-versions/create', {
        name: modelName,
        source: `${mlflowRun.info.artifact_uri}/${dir}`,
        run_id: mlflowRun.info.run_id,
        description: version.description ?? undefined,
        tags: [
          { key: 'mlapi.version', value: String(version.version) },
          { key: 'mlapi.version_id', value: version.id },
          { key: 'mlapi.evaluation_dataset_version_id', value: version.evaluationDatasetVersionId ?? '' },
        ],
      });
      mlflowVersion = created.model_version.version;
    }
    await this.dataSource.getRepository(ModelVersionEntity).update(version.id, { mlflowVersion });
  }
}
