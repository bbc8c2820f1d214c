import type { ArtifactDto, RunDto } from './dto/run.dto';
import type { ExperimentDto } from './dto/experiment.dto';
import type { ArtifactEntity } from './entities/artifact.entity';
import type { ExperimentEntity } from './entities/experiment.entity';
import type { RunEntity } from './entities/run.entity';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toExperimentDto(e: ExperimentEntity): ExperimentDto {
  return {
    id: e.id,
    name: e.name,
    description: e.description,
    createdBy: e.createdBy,
    createdAt: e.createdAt.toISOString(),
    mlflowExperimentId: e.mlflowExperimentId,
  };
}

export function toRunDto(r: RunEntity, experimentName: string): RunDto {
  return {
    id: r.id,
    experimentId: r.experimentId,
    experimentName,
    name: r.name,
    status: r.status,
    params: r.params,
    tags: r.tags,
    metrics: r.metrics,
    datasetVersionId: r.datasetVersionId,
    datasetHash: r.datasetHash,
    codeVersion: r.codeVersion,
    backend: r.backend,
    startedBy: r.startedBy,
    startedAt: r.startedAt.toISOString(),
    endedAt: iso(r.endedAt),
    error: r.error,
    mirror: {
      status: r.mirrorStatus,
      lastError: r.mirrorError,
      attempts: r.mirrorAttempts,
      mlflowRunId: r.mlflowRunId,
      syncedAt: iso(r.mirrorSyncedAt),
    },
  };
}

export function toArtifactDto(a: ArtifactEntity): ArtifactDto {
  return {
    id: a.id,
    name: a.name,
    store: a.store,
    sha256: a.sha256,
    size: a.size,
    contentType: a.contentType,
    createdAt: a.createdAt.toISOString(),
  };
}
