import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DatasetReader } from './dataset-reader.service';
import { DatasetUsageCheckers } from './dataset-usage';
import { DatasetsController } from './datasets.controller';
import { DatasetsService } from './datasets.service';
import { CsvImportService } from './import/csv-import.service';
import { ImportJobsService } from './import/import-jobs.service';
import { ImportsController } from './imports.controller';
import { RowReaderService } from './row-reader.service';

/**
 * Datasets, CSV imports and dataset versions. Exports `DatasetReader` (read a version, stream its
 * rows), `CsvImportService` (the CLI and other in-process callers) and `DatasetUsageCheckers`
 * (where the registry plugs its `DatasetUsageChecker`).
 */
@Module({})
export class DataModule {
  // Nest 11 tells dynamic modules apart by object reference: the app and the modules that import
  // the data module (training, registry) must get the same object, or routes register twice.
  private static readonly instances = new WeakMap<AppConfig, DynamicModule>();

  static forRoot(config: AppConfig): DynamicModule {
    let instance = DataModule.instances.get(config);
    if (!instance) {
      instance = DataModule.build(config);
      DataModule.instances.set(config, instance);
    }
    return instance;
  }

  private static build(config: AppConfig): DynamicModule {
    return {
      module: DataModule,
      controllers: config.runsHttp ? [DatasetsController, ImportsController] : [],
      providers: [DatasetsService, CsvImportService, ImportJobsService, RowReaderService, DatasetReader, DatasetUsageCheckers],
      exports: [DatasetReader, CsvImportService, DatasetUsageCheckers, DatasetsService],
    };
  }
}
