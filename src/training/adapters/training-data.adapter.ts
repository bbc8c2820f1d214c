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
      classCounts: Object.fromEntries(
        v.profile.columns.flatMap((c) =>
          c.profile.kind === 'category' && c.profile.top.length === c.profile.distinct
            ? [[c.name, new Map(c.profile.top.map((t) => [t.value, t.count]))]]
            : [],
        ),
      ),
    };
  }

  rows(versionId: string): AsyncIterable<Record<string, CellValue>[]> {
    return this.reader.streamRows(versionId);
  }

  /** For columns the profile does not count (numbers used as labels): one scan, as text like the trainer's classes. */
  async valueCounts(
    versionId: string,
    column: string,
    atMost: number,
  ): Promise<{ counts: ReadonlyMap<string, number>; complete: boolean }> {
    const counts = new Map<string, number>();
    for await (const batch of this.reader.streamRows(versionId))
      for (const r of batch) {
        if (r[column] === null) continue;
        const value = String(r[column]);
        const seen = counts.get(value);
        // Returning here ends the stream early (its connection is destroyed rather than reused).
        if (seen === undefined && counts.size === atMost) return { counts, complete: false };
        counts.set(value, (seen ?? 0) + 1);
      }
    return { counts, complete: true };
  }
}
