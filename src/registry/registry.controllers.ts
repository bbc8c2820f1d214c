import { ModelsController } from './models.controller';
import { RunsController } from './runs.controller';

/** The registry module's HTTP face, mounted by the HTTP role. */
export const REGISTRY_CONTROLLERS = [RunsController, ModelsController];
