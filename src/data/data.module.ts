import { Module } from '@nestjs/common';
import { DatasetReader } from './dataset-reader.service';
import { DatasetUsageCheckers } from './dataset-usage';
import { DatasetsService } from './datasets.service';
import { CsvImportService } from './import/csv-import.service';
import { ImportJobsService } from './import/import-jobs.service';
import { ImportMetrics } from './import/import-metrics';
import { UploadSpool } from './import/upload-spool';
import { RowReaderService } from './row-reader.service';

/**
 * Datasets, CSV imports and dataset versions. Exports `DatasetReader` (read a version, stream its
 * rows), `CsvImportService` (the CLI and other in-process callers), `DatasetUsageCheckers` (where
 * the roles plug the registry's checker, see ports.ts) and the services its controllers use.
 */
@Module({
  providers: [
    DatasetsService,
    CsvImportService,
    ImportJobsService,
    ImportMetrics,
    UploadSpool,
    RowReaderService,
    DatasetReader,
    DatasetUsageCheckers,
  ],
  exports: [
    DatasetReader,
    CsvImportService,
    DatasetUsageCheckers,
    DatasetsService,
    ImportJobsService,
    UploadSpool,
    RowReaderService,
  ],
})
export class DataModule {}
