// Public entry of the data module: what other modules, the app's roles and the scripts may use.
export { DataModule } from './data.module';
export { DATA_CONTROLLERS } from './data.controllers';
export { DatasetReader } from './dataset-reader.service';
export { DatasetUsageCheckers } from './dataset-usage';
export { DatasetsService } from './datasets.service';
export { CsvImportService, type ImportProgress } from './import/csv-import.service';
export { RowReaderService } from './row-reader.service';
export { UploadSpool } from './import/upload-spool';
export { DATA_ERROR_STATUS, DataError, DataErrorCode } from './data.errors';
