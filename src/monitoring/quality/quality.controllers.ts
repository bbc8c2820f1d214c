import { ComparisonController } from './comparison.controller';

/** The realised-quality and comparison routes, mounted by the HTTP role. */
export const QUALITY_CONTROLLERS = [ComparisonController];
