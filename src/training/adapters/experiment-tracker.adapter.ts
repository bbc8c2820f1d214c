import { Injectable } from '@nestjs/common';
import { initBackend } from '../../ml';
import {
  AliasService,
  DEFAULT_BUNDLE_ARTIFACT,
  ModelRegistryService,
  RegistryError,
  RegistryErrorCode,
  TrackingService,
} from '../../registry';
import { ExperimentTracker, type RunEnd, type RunStart, type TrainingRecipe } from '../ports/experiment-tracker.port';

/** The recipe travels as one JSON tag, so a scheduled retrain can replay it exactly. */
const RECIPE_TAG = 'recipe';

/** Why an alias move is refused: the gate, or an alias or version the move cannot take. */
const MOVE_REFUSALS: ReadonlySet<RegistryErrorCode> = new Set([
  RegistryErrorCode.QUALITY_GATE_REFUSED,
  RegistryErrorCode.INVALID_ALIAS_NAME,
  RegistryErrorCode.UNKNOWN_VERSION,
]);
/** What a missing recipe looks like: no such model, or no such alias of it. */
const NO_RECIPE: ReadonlySet<RegistryErrorCode> = new Set([
  RegistryErrorCode.MODEL_NOT_FOUND,
  RegistryErrorCode.ALIAS_NOT_FOUND,
]);

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
      tags: {
        [RECIPE_TAG]: JSON.stringify(recipe),
        job_id: run.jobId,
        dataset_version: String(run.datasetVersion),
        evaluation_split: `seed=${recipe.seed}`,
      },
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
      // A refusal is an outcome to report on the job, not a failure to retry.
      if (err instanceof RegistryError && MOVE_REFUSALS.has(err.code))
        return { moved: false, reasons: [err.message, ...err.details.map((d) => d.message)] };
      throw err;
    }
  }

  async recipeOf(model: string, alias: string): Promise<TrainingRecipe | null> {
    let runId: string;
    try {
      runId = (await this.models.versionForAlias(model, alias)).runId;
    } catch (err) {
      if (err instanceof RegistryError && NO_RECIPE.has(err.code)) return null;
      throw err;
    }
    const run = await this.tracking.getRun(runId);
    const tag = run.tags[RECIPE_TAG];
    return tag ? (JSON.parse(tag) as TrainingRecipe) : null;
  }
}

/** Searchable parameters: `family`, `hp.learningRate`, `seed`... */
function flattenParams(recipe: TrainingRecipe): Record<string, string | number | boolean> {
  const params: Record<string, string | number | boolean> = {
    dataset: recipe.dataset,
    target: recipe.target,
    task: recipe.task,
    family: recipe.family,
    seed: recipe.seed,
    ...(recipe.positiveClass !== undefined ? { positiveClass: recipe.positiveClass } : {}),
  };
  for (const [k, v] of Object.entries(recipe.hyperparameters))
    params[`hp.${k}`] = typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean);
  return params;
}

function finite(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));
}

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [prefix + k, v]));
}
