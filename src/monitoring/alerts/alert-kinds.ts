import { z } from 'zod';

/** What a rule watches; each kind takes its own params (PARAMS below). */
export const ALERT_KINDS = [
  'drift_verdict',
  'data_quality_rate',
  'estimated_quality_floor',
  'realised_quality_floor',
  'error_rate',
  'latency_p99',
  'log_drops',
  'training_failures',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Kinds whose firing may start a retraining of the model (`retrain: true`). */
export const RETRAIN_KINDS: readonly AlertKind[] = [
  'drift_verdict',
  'data_quality_rate',
  'estimated_quality_floor',
  'realised_quality_floor',
];

/** Kinds that watch the whole service, not a model: a rule of theirs names no model. */
export const SERVICE_KINDS: readonly AlertKind[] = ['log_drops'];

export const QUALITY_RATES = ['missing_rate', 'out_of_range_rate', 'unknown_category_rate'] as const;
export const ESTIMATED_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const;
/** Realised figures where higher is better (a floor makes sense): RMSE/MAE are not among them. */
export const REALISED_METRICS = [...ESTIMATED_METRICS, 'r2'] as const;

const rate = z.number().min(0).max(1);
const count = z.number().int().min(0);
const feature = z.string().min(1).max(200);

/**
 * Each kind's params, strict: a param the kind does not take is refused, naming the ones it takes.
 * `feature` on drift and quality kinds: absent, the dataset-level figure (drift) or every feature
 * (quality rates), each feature its own alert; `"*"`, every feature (drift); a name, that feature.
 */
export const PARAMS = {
  drift_verdict: z.object({ feature: feature.optional() }).strict(),
  data_quality_rate: z.object({ metric: z.enum(QUALITY_RATES), threshold: rate, feature: feature.optional() }).strict(),
  estimated_quality_floor: z.object({ metric: z.enum(ESTIMATED_METRICS), floor: z.number() }).strict(),
  realised_quality_floor: z.object({ metric: z.enum(REALISED_METRICS), floor: z.number() }).strict(),
  error_rate: z
    .object({
      threshold: rate.default(0.05),
      minRequests: count.default(20),
      includeInvalid: z.boolean().default(false),
    })
    .strict(),
  latency_p99: z.object({ thresholdMs: z.number().positive(), minRequests: count.default(20) }).strict(),
  log_drops: z.object({ threshold: count.default(0) }).strict(),
  training_failures: z.object({ threshold: count.default(0) }).strict(),
} satisfies Record<AlertKind, z.ZodTypeAny>;

export type AlertParams = { [K in AlertKind]: z.output<(typeof PARAMS)[K]> };

/** The names of the params a kind takes (for messages and the API document). */
export function paramNames(kind: AlertKind): string[] {
  return Object.keys(PARAMS[kind].shape);
}
