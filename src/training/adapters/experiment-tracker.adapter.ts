import { HttpStatus, Injectable } from '@nestjs/common';
import { initBackend } from '../../ml';
import { AliasService, DEFAULT_BUNDLE_ARTIFACT, ModelRegistryService, TrackingService } from '../../registry';
import { AppError } from '../../common/errors/app-error';
import { ExperimentTracker, type RunEnd, type RunStart, type TrainingRecipe } from '../ports/experiment-tracker.port';

/** The recipe travels as one JSON tag, so a scheduled retrain can replay it exactly. */
const RECIPE_TAG = 'recipe';

/** ExperimentTracker over the registry module's exported services. */
@Injectable()
export class ExperimentTrackerAdapter extends ExperimentTracker {
  constructor(
    private readonly tracking: TrackingService,
    private readonly models: ModelRegistryService,
    private readonly aliases: AliasService,
  ) {
    super();
  }

  async startRun(run: RunStart): Promise<string> {
    const { recipe } = run;
    const created = await this.tracking.startRun({
      experimentName: run.experiment,
      startedBy: run.createdBy,
      params: flattenParams(recipe),
      tags: { [RECIPE_TAG]: JSON.stringify(recipe), job_id: run.jobId, dataset_version: String(run.datasetVersion), evaluation_split: `seed=${recipe.seed}` },
      datasetVersionId: run.datasetVersionId,
      datasetHash: run.datasetSha256,
      backend: await initBackend(),
    });
    return created.id;
  }

  async logEpoch(runId: string, step: number, metrics: Record<string, number>): Promise<void> {
    await this.tracking.logMetrics(runId, finite(metrics), step);
  }

  async completeRun(runId: string, end: RunEnd): Promise<void> {
    await this.tracking.putArtifact(runId, DEFAULT_BUNDLE_ARTIFACT, end.bundle, 'application/json');
    await this.tracking.logFinalMetrics(runId, finite({ ...end.metrics, ...prefixed('time_', end.timings) }));
    await this.tracking.setTags(runId, { backend: end.backend, ...(end.tags ?? {}) });
    await this.tracking.endRun(runId, 'finished');
  }

  async failRun(runId: string, reason: string): Promise<void> {
    const run = await this.tracking.getRun(runId);
    if (run.status === 'running') await this.tracking.endRun(runId, 'failed', reason.slice(0, 2000));
  }

  async registerVersion(model: string, runId: string, createdBy: string): Promise<number> {
    return (await this.models.registerVersion(model, { runId }, createdBy)).version;
  }

  async moveAlias(model: string, alias: string, version: number, reason: string, actor: string) {
    try {
      await this.aliases.move(model, alias, { version, reason }, { id: actor, isAdmin: false });
      return { moved: true, reasons: [] };
    } catch (err) {
      // A refusal by the gate is an outcome to report on the job, not a failure to retry.
      if (err instanceof AppError && err.status === HttpStatus.UNPROCESSABLE_ENTITY) return { moved: false, reasons: [err.message, ...err.details.map((d) => d.message)] };
      throw err;
    }
  }

  async recipeOf(model: string, alias: string): Promise<TrainingRecipe | null> {
    let runId: string;
    try {
      runId = (await this.models.versionForAlias(model, alias)).runId;
    } catch (err) {
      if (err instanceof AppError && err.status === HttpStatus.NOT_FOUND) return null;
      throw err;
    }
    const run = await this.tracking.getRun(runId);
    const tag = run.tags[RECIPE_TAG];
    return tag ? (JSON.parse(tag) as TrainingRecipe) : null;
  }
}

/** Searchable parameters: `family`, `hp.learningRate`, `seed`... */
function flattenParams(recipe: TrainingRecipe): Record<string, string | number | boolean> {
  const params: Record<string, string | number | boolean> = { dataset: recipe.dataset, target: recipe.target, task: recipe.task, family: recipe.family, seed: recipe.seed };
  for (const [k, v] of Object.entries(recipe.hyperparameters)) params[`hp.${k}`] = typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean);
  return params;
}

function finite(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));
}

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [prefix + k, v]));
}
