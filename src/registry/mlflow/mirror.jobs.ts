/** The Bull queue that mirrors to MLflow, and its typed job catalogue. */
export const MLFLOW_MIRROR_QUEUE = 'mlflow-mirror';
/** Every target is one `sync` job, so the mirror syncs one target at a time (concurrency 1). */
export const MIRROR_SYNC_JOB = 'sync';

export type MirrorJob =
  | { kind: 'run'; runId: string }
  | { kind: 'model'; modelName: string }
  | { kind: 'delete-version'; modelName: string; mlflowVersion: string };

/** One job id per target, so a burst of per-epoch updates collapses into one waiting job. */
export function mirrorJobId(job: MirrorJob): string {
  switch (job.kind) {
    case 'run':
      return `run:${job.runId}`;
    case 'model':
      return `model:${job.modelName}`;
    case 'delete-version':
      return `delete:${job.modelName}:${job.mlflowVersion}`;
  }
}

export type MirrorJobs = {
  [MIRROR_SYNC_JOB]: MirrorJob;
};
