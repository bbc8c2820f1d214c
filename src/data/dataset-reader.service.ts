import { Injectable } from '@nestjs/common';
import type { CellValue, DatasetSchema } from '../ml';
import { DatasetsService } from './datasets.service';
import type { DatasetProfile } from './profile/dataset-profile';
import { RowReaderService } from './row-reader.service';

/** What the training module gets of a version: everything but the rows. */
export interface DatasetVersionInfo {
  datasetId: string;
  datasetName: string;
  versionId: string;
  number: number;
  target: string | null;
  schema: DatasetSchema;
  /** Whether a human declared or confirmed the schema (false: inferred, awaiting confirmation). */
  schemaConfirmed: boolean;
  profile: DatasetProfile;
  rowCount: number;
  rejectedCount: number;
  sha256: string;
  createdBy: string;
  createdAt: Date;
}

/**
 * The data module's port for other modules (training, monitoring): read a version's metadata and
 * stream its typed rows in file order. Nothing else of the module is exported.
 */
@Injectable()
export class DatasetReader {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly reader: RowReaderService,
  ) {}

  /** `datasetRef` = dataset id or name; `version` = number (default: the latest). */
  async getVersion(datasetRef: string, version?: number): Promise<DatasetVersionInfo> {
    const ds = await this.datasets.find(datasetRef);
    const v = await this.datasets.version(ds.id, version);
    return {
      datasetId: ds.id,
      datasetName: ds.name,
      versionId: v.id,
      number: v.number,
      target: v.target,
      schema: v.schema,
      schemaConfirmed: ds.schemaSource === 'declared' || ds.schemaSource === 'confirmed',
      profile: v.profile,
      rowCount: v.rowCount,
      rejectedCount: v.rejectedCount,
      sha256: v.sha256,
      createdBy: v.createdBy,
      createdAt: v.createdAt,
    };
  }

  /** The version's rows in file order, `batchSize` at a time (default 10,000), streamed with COPY TO. */
  async *streamRows(
    versionId: string,
    options: { batchSize?: number } = {},
  ): AsyncIterable<Record<string, CellValue>[]> {
    const v = await this.datasets.versionById(versionId);
    const ds = await this.datasets.find(v.datasetId);
    yield* this.reader.stream({ table: ds.tableName!, schema: v.schema, versionId: v.id }, options.batchSize ?? 10_000);
  }
}
