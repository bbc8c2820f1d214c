import { DatasetVersionEntity } from './dataset-version.entity';
import { DatasetEntity } from './dataset.entity';
import { ImportJobEntity } from './import-job.entity';
import { RejectedRowEntity } from './rejected-row.entity';

export const DATA_ENTITIES = [DatasetEntity, DatasetVersionEntity, RejectedRowEntity, ImportJobEntity];
