import { Injectable } from '@nestjs/common';
import { DatasetReader } from '../../data';
import type { CellValue } from '../../ml';
import { TrainingData, type TrainingDatasetVersion } from '../ports/training-data.port';

/** TrainingData over the data module's exported DatasetReader. */
@Injectable()
export class TrainingDataAdapter extends TrainingData {
  constructor(private readonly reader: DatasetReader) {
    super();
  }

  async resolveVersion(dataset: string, version?: number): Promise<TrainingDatasetVersion> {
    const v = await this.reader.getVersion(dataset, version);
    return {
      datasetId: v.datasetId,
      datasetName: v.datasetName,
      versionId: v.versionId,
      version: v.number,
      sha256: v.sha256,
      rowCount: v.rowCount,
      schema: v.schema,
      target: v.target,
      distinctCounts: Object.fromEntries(
        v.profile.columns.flatMap((c) => (c.profile.kind === 'category' ? [[c.name, c.profile.distinct]] : [])),
      ),
    };
  }

  rows(versionId: string): AsyncIterable<Record<string, CellValue>[]> {
    return this.reader.streamRows(versionId);
  }

  /** For columns the profile does not count (numbers or booleans used as labels): one scan. */
  async distinctCount(versionId: string, column: string): Promise<number> {
    const seen = new Set<CellValue>();
    for await (const batch of this.reader.streamRows(versionId))
      for (const r of batch) if (r[column] !== null) seen.add(r[column]);
    return seen.size;
  }
}
