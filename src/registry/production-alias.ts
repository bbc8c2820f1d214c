/**
 * The alias that serves a model when a request names none, and the one a scheduled retrain
 * starts from and may promote to: one name for "what production runs".
 */
export const PRODUCTION_ALIAS = 'production';
