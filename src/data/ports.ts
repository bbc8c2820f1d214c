// Ports the data module publishes for modules that may not otherwise depend on it (the registry
// implements DatasetUsageChecker): the one other entry of this module besides index.ts.
export { DatasetUsageChecker } from './dataset-usage';
