import type { CellValue, DatasetSchema } from '../../ml';

/** A dataset version as training sees it (the data module's service, adapted). */
export interface TrainingDatasetVersion {
  datasetId: string;
  datasetName: string;
  versionId: string;
  version: number;
  sha256: string;
  rowCount: number;
  schema: DatasetSchema;
  /** The dataset's declared target column, if any. */
  target: string | null;
  /** Distinct values of each category column, from the version's profile. */
  distinctCounts: Record<string, number>;
  /** How often each value occurs, for the category and boolean columns whose profile lists every value (as text). */
  classCounts: Partial<Record<string, ReadonlyMap<string, number>>>;
}

/**
 * What training needs from the data module. An abstract class so Nest can inject it and unit
 * tests can replace it; the adapter lives in training-data.adapter.ts.
 */
export abstract class TrainingData {
  /** Throws the data module's DATASET_NOT_FOUND or DATASET_VERSION_NOT_FOUND when it does not exist. */
  abstract resolveVersion(dataset: string, version?: number): Promise<TrainingDatasetVersion>;
  abstract rows(versionId: string): AsyncIterable<Record<string, CellValue>[]>;
  /**
   * How often each non-missing value of a column occurs in a version (the classes of a target,
   * as text), by scanning it; the scan stops at the first value beyond `atMost` (`complete: false`).
   */
  abstract valueCounts(
    versionId: string,
    column: string,
    atMost: number,
  ): Promise<{ counts: ReadonlyMap<string, number>; complete: boolean }>;
}
