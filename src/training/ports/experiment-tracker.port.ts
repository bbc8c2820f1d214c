/** Parameters of a training run: everything needed to train the same model again. */
export interface TrainingRecipe {
  dataset: string;
  target: string;
  task: 'binary' | 'multiclass' | 'regression';
  family: 'logistic' | 'mlp';
  hyperparameters: Record<string, unknown>;
  seed: number;
  positiveClass?: string;
  features?: string[];
}

export interface RunStart {
  experiment: string;
  recipe: TrainingRecipe;
  datasetVersionId: string;
  datasetVersion: number;
  datasetSha256: string;
  jobId: string;
  createdBy: string;
}

export interface RunEnd {
  metrics: Record<string, number>;
  backend: string;
  timings: Record<string, number>;
  bundle: Buffer;
  tags?: Record<string, string>;
}

/**
 * What training needs from the registry: record runs and register versions. The adapter to the
 * registry module's services is in experiment-tracker.adapter.ts.
 */
export abstract class ExperimentTracker {
  abstract startRun(run: RunStart): Promise<string>;
  abstract logEpoch(runId: string, step: number, metrics: Record<string, number>): Promise<void>;
  abstract completeRun(runId: string, end: RunEnd): Promise<void>;
  abstract failRun(runId: string, reason: string): Promise<void>;
  /** Registers the run as a new version of `model`; returns the version number. */
  abstract registerVersion(model: string, runId: string, createdBy: string): Promise<number>;
  /** Moves an alias through the quality gate; returns false (with reasons) when the gate refuses. */
  abstract moveAlias(
    model: string,
    alias: string,
    version: number,
    reason: string,
    actor: string,
  ): Promise<{ moved: boolean; reasons: string[] }>;
  /** The recipe of the version holding `alias`, or null when the alias is not set. */
  abstract recipeOf(model: string, alias: string): Promise<TrainingRecipe | null>;
}
