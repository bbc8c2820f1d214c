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
  /** Every value of the category columns whose profile lists them all (as text, sorted). */
  classes: Partial<Record<string, string[]>>;
}

/**
 * What training needs from the data module. An abstract class so Nest can inject it and unit
 * tests can replace it; the adapter lives in training-data.adapter.ts.
 */
export abstract class TrainingData {
  /** Throws the data module's DATASET_NOT_FOUND or DATASET_VERSION_NOT_FOUND when it does not exist. */
  abstract resolveVersion(dataset: string, version?: number): Promise<TrainingDatasetVersion>;
  abstract rows(versionId: string): AsyncIterable<Record<string, CellValue>[]>;
  /** Distinct non-missing values of a column in a version (classes of a target) as text, sorted, by scanning it. */
  abstract distinctValues(versionId: string, column: string): Promise<string[]>;
}
