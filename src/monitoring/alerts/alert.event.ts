import { z } from 'zod';
import { defineEvent } from '../../events';
import { ALERT_KINDS, SEVERITIES } from './alert-kinds';

const schema = z.object({
  alertId: z.string(),
  ruleId: z.string().nullable(),
  ruleName: z.string(),
  kind: z.enum(ALERT_KINDS),
  severity: z.enum(SEVERITIES),
  model: z.string().nullable(),
  subject: z.string(),
  state: z.enum(['firing', 'resolved']),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  /** When it fired, or resolved (ISO 8601). */
  at: z.string(),
});

export type AlertTransition = z.infer<typeof schema>;

/** An alert fired or resolved (every replica hears it: the dashboard's live view, metrics). */
export const AlertChanged = defineEvent<AlertTransition>('monitoring.alert', { scope: 'cluster', schema });
