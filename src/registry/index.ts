// Public entry of the registry module: what other modules, the app's roles and the scripts may use.
export { RegistryModule } from './registry.module';
export { REGISTRY_CONTROLLERS } from './registry.controllers';
export { MirrorProcessor } from './mlflow/mirror.processor';
export { RegistryDatasetUsage } from './dataset-usage.checker';
export { ALIAS_MOVED, type AliasMovedEvent } from './alias-moved.event';
export { AliasService } from './alias.service';
export { DEFAULT_BUNDLE_ARTIFACT, ModelRegistryService } from './model-registry.service';
export { TrackingService } from './tracking.service';
export { REGISTRY_ERROR_STATUS, RegistryError, RegistryErrorCode } from './registry.errors';
