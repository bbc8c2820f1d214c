import type { ErrorDetailInput } from '../../common/errors/domain-error';
import type { CreateAlertRuleDto } from './dto/alert-rule.dto';
import { checkPlainRule, type CheckedRule } from './rule-checks';

/**
 * The rules `ALERT_RULES_DEFAULT=builtin` seeds: service health everyone wants, and drift and data
 * quality at Evidently's verdict. No quality floor: a floor is the model's own (add one per model).
 * Each for-duration spans at least two evaluations, so one bad window does not page anyone.
 */
export const BUILTIN_RULES: CreateAlertRuleDto[] = [
  { name: 'training-failures', kind: 'training_failures', severity: 'warning', windowSeconds: 3600, forSeconds: 0 },
  { name: 'prediction-log-drops', kind: 'log_drops', severity: 'warning', windowSeconds: 300, forSeconds: 120 },
  {
    name: 'error-rate',
    kind: 'error_rate',
    params: { threshold: 0.05, minRequests: 20 },
    severity: 'critical',
    windowSeconds: 300,
    forSeconds: 300,
  },
  {
    name: 'latency-p99',
    kind: 'latency_p99',
    params: { thresholdMs: 500, minRequests: 20 },
    severity: 'warning',
    windowSeconds: 300,
    forSeconds: 300,
  },
  { name: 'dataset-drift', kind: 'drift_verdict', severity: 'warning', windowSeconds: 7200, forSeconds: 3600 },
  {
    name: 'missing-values',
    kind: 'data_quality_rate',
    params: { metric: 'missing_rate', threshold: 0.2 },
    severity: 'warning',
    windowSeconds: 7200,
    forSeconds: 3600,
  },
];

/** The default rules ALERT_RULES_DEFAULT asks for, checked like the API's; throws naming every problem. */
export function defaultRules(setting: string, evaluationIntervalMs: number): CheckedRule[] {
  const spec = setting.trim();
  if (spec === 'none') return [];
  let plain: unknown;
  // The built-in windows stretch to the interval, so any ALERT_EVALUATION_INTERVAL_MS can seed them.
  const intervalSeconds = Math.ceil(evaluationIntervalMs / 1000);
  if (spec === 'builtin')
    plain = BUILTIN_RULES.map((r) => ({ ...r, windowSeconds: Math.max(r.windowSeconds, intervalSeconds) }));
  else
    try {
      plain = JSON.parse(spec);
    } catch (err) {
      throw new Error(`ALERT_RULES_DEFAULT: not builtin, none or JSON: ${(err as Error).message}`);
    }
  if (!Array.isArray(plain)) throw new Error('ALERT_RULES_DEFAULT: the JSON must be an array of rules');
  const rules: CheckedRule[] = [];
  const problems: ErrorDetailInput[] = [];
  plain.forEach((item: unknown, i) => {
    const where = `ALERT_RULES_DEFAULT[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      return problems.push({ field: where, message: 'must be an object' });
    const checked = checkPlainRule(item, evaluationIntervalMs, where);
    if ('rule' in checked) rules.push(checked.rule);
    else problems.push(...checked.problems);
  });
  const names = rules.map((r) => r.name);
  for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i)))
    problems.push({ field: 'ALERT_RULES_DEFAULT', message: `names the rule ${name} twice` });
  if (problems.length) throw new Error(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  return rules;
}
