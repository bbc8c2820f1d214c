import { z } from 'zod';
import { defineEvent } from '../../events';

const quantiles = z.object({ p50: z.number(), p95: z.number(), p99: z.number() });

const schema = z.object({
  /** The HTTP replica that served them. */
  replica: z.string(),
  /** The end of the interval (ISO 8601). */
  at: z.string(),
  intervalMs: z.number().int(),
  models: z.array(
    z.object({
      model: z.string(),
      version: z.number().int(),
      /** The alias it answered through (`none`: a version was named). */
      alias: z.string(),
      /** Callers' predict requests in the interval (shadow scoring is no request). */
      requests: z.number().int(),
      /** Of which refused (422) or failed. */
      errors: z.number().int(),
      /** Of the answered requests, estimated from the latency histogram's buckets; null when none was answered. */
      latencyMs: quantiles.nullable(),
    }),
  ),
});

export type TrafficTickEvent = z.infer<typeof schema>;

/** One HTTP replica's predict traffic over its last DASHBOARD_TRAFFIC_TICK_MS, sent only when it served some. */
export const TrafficTick = defineEvent<TrafficTickEvent>('monitoring.traffic', { scope: 'cluster', schema });
