// Public entry of the registry module: what other modules, the app's roles and the scripts may use.
export { RegistryModule } from './registry.module';
export { REGISTRY_CONTROLLERS } from './registry.controllers';
export { MirrorProcessor } from './mlflow/mirror.processor';
export { RegistryDatasetUsage } from './dataset-usage.checker';
export { AliasMoved, type AliasMovedEvent } from './alias-moved.event';
export { AliasService } from './alias.service';
export {
  DEFAULT_BUNDLE_ARTIFACT,
  ModelRegistryService,
  type AliasHolder,
  type AliasHolders,
} from './model-registry.service';
export { PRODUCTION_ALIAS } from './production-alias';
export { TrackingService } from './tracking.service';
export { isRegistryNotFound, REGISTRY_ERROR_STATUS, RegistryError, RegistryErrorCode } from './registry.errors';
