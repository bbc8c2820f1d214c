import type { RunEntity, RunStatus } from '../entities/run.entity';

/** Pure helpers of the MLflow mirror (unit-tested). */
export const ms = (d: Date): number => d.getTime();

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function mlflowStatus(status: RunStatus): 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED' {
  switch (status) {
    case 'running':
      return 'RUNNING';
    case 'finished':
      return 'FINISHED';
    case 'failed':
      return 'FAILED';
    case 'killed':
      return 'KILLED';
  }
}

/** What MLflow should know about a run beyond its params and metrics (standard `mlflow.*` tags where one exists). */
export function mlflowRunTags(run: RunEntity): { key: string; value: string }[] {
  const tags: [string, string | null][] = [
    ['mlapi.run_id', run.id],
    ['mlflow.user', run.startedBy],
    ['mlflow.source.git.commit', run.codeVersion],
    ['mlapi.code_version', run.codeVersion],
    ['mlapi.backend', run.backend],
    ['mlapi.dataset_version_id', run.datasetVersionId],
    ['mlapi.dataset_hash', run.datasetHash],
    ['mlapi.error', run.error],
  ];
  return tags
    .filter((t): t is [string, string] => t[1] !== null && t[1] !== '')
    .map(([key, value]) => ({ key, value: value.slice(0, 5000) }));
}
