import type { RunEntity } from '../entities/run.entity';
import { mirrorJobId } from './mirror.jobs';
import { chunk, mlflowRunTags, mlflowStatus } from './mlflow-mapping';

describe('MLflow mapping', () => {
  it('chunks to MLflow batch limits', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 100)).toEqual([]);
  });

  it('maps run statuses', () => {
    expect(['running', 'finished', 'failed', 'killed'].map((s) => mlflowStatus(s as RunEntity['status']))).toEqual([
      'RUNNING',
      'FINISHED',
      'FAILED',
      'KILLED',
    ]);
  });

  it('tags lineage with standard mlflow.* tags where they exist and skips empty values', () => {
    const run = {
      id: 'r1',
      startedBy: 'user:u',
      codeVersion: 'abc123',
      backend: 'wasm',
      datasetVersionId: 'ds',
      datasetHash: null,
      error: null,
    } as unknown as RunEntity;
    expect(mlflowRunTags(run)).toEqual([
      { key: 'mlapi.run_id', value: 'r1' },
      { key: 'mlflow.user', value: 'user:u' },
      { key: 'mlflow.source.git.commit', value: 'abc123' },
      { key: 'mlapi.code_version', value: 'abc123' },
      { key: 'mlapi.backend', value: 'wasm' },
      { key: 'mlapi.dataset_version_id', value: 'ds' },
    ]);
  });

  it('gives one job id per target so bursts collapse', () => {
    expect(mirrorJobId({ kind: 'run', runId: 'x' })).toBe('run:x');
    expect(mirrorJobId({ kind: 'model', modelName: 'm' })).toBe('model:m');
    expect(mirrorJobId({ kind: 'delete-version', modelName: 'm', mlflowVersion: '3' })).toBe('delete:m:3');
  });
});
