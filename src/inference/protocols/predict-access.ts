import type { AccessRule } from '../../auth';

/**
 * Who may predict and read a model's input schema, the same for every protocol (native, MLflow,
 * Open Inference v2): consumers, and scientists, who check the models they train; tokens need `predict`.
 */
export const PREDICT_ACCESS: AccessRule = { roles: ['consumer', 'scientist'], scopes: ['predict'] };
