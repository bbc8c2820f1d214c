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
      // The profile keeps the top values only; a column with fewer distinct values has them all.
      classes: Object.fromEntries(
        v.profile.columns.flatMap((c) =>
          c.profile.kind === 'category' && c.profile.top.length === c.profile.distinct
            ? [[c.name, c.profile.top.map((t) => t.value).sort(byCodePoint)]]
            : [],
        ),
      ),
    };
  }

  rows(versionId: string): AsyncIterable<Record<string, CellValue>[]> {
    return this.reader.streamRows(versionId);
  }

  /** For columns the profile does not list (numbers used as labels): one scan, as text like the trainer's classes. */
  async distinctValues(versionId: string, column: string): Promise<string[]> {
    const seen = new Set<string>();
    for await (const batch of this.reader.streamRows(versionId))
      for (const r of batch) if (r[column] !== null) seen.add(String(r[column]));
    return [...seen].sort(byCodePoint);
  }
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
