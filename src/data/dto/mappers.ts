import type { DatasetVersionEntity } from '../dataset-version.entity';
import type { DatasetEntity } from '../dataset.entity';
import type { ImportJobEntity } from '../import-job.entity';
import type { DatasetDto, ImportJobDto, VersionDetailDto, VersionDto } from './responses.dto';

export const toDatasetDto = (d: DatasetEntity): DatasetDto => ({
  id: d.id,
  name: d.name,
  target: d.target,
  schema: d.schema,
  schemaSource: d.schemaSource,
  createdBy: d.createdBy,
  createdAt: d.createdAt,
});

export const toVersionDto = (v: DatasetVersionEntity): VersionDto => ({
  id: v.id,
  datasetId: v.datasetId,
  number: v.number,
  rowCount: v.rowCount,
  rejectedCount: v.rejectedCount,
  bytes: v.bytes,
  sha256: v.sha256,
  target: v.target,
  missingTokens: v.missingTokens,
  sourceName: v.sourceName,
  createdBy: v.createdBy,
  createdAt: v.createdAt,
});

export const toVersionDetailDto = (v: DatasetVersionEntity): VersionDetailDto => ({
  ...toVersionDto(v),
  schema: v.schema,
  profile: v.profile,
});

export const toImportJobDto = (j: ImportJobEntity): ImportJobDto => ({
  id: j.id,
  datasetId: j.datasetId,
  status: j.status,
  sourceName: j.sourceName,
  rowsRead: j.rowsRead,
  rowsRejected: j.rowsRejected,
  bytesRead: j.bytesRead,
  versionId: j.versionId,
  error: j.error,
  createdAt: j.createdAt,
  finishedAt: j.finishedAt,
});
