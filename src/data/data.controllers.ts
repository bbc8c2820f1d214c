import { DatasetsController } from './datasets.controller';
import { ImportsController } from './imports.controller';

/** The data module's HTTP face, mounted by the HTTP role. */
export const DATA_CONTROLLERS = [DatasetsController, ImportsController];
