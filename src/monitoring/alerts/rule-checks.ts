import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { ZodIssue } from 'zod';
import type { ErrorDetailInput } from '../../common/errors/domain-error';
import { flatten } from '../../common/validation';
import { PARAMS, RETRAIN_KINDS, SERVICE_KINDS, paramNames, type AlertKind } from './alert-kinds';
import { CreateAlertRuleDto } from './dto/alert-rule.dto';

/** A rule as stored: shape and kind checked, params with their defaults. */
export type CheckedRule = Required<Omit<CreateAlertRuleDto, 'model'>> & { model: string | null };

/**
 * The checks a rule's fields need together, beyond their shapes: the kind's params, a window no
 * shorter than the evaluation interval (a shorter one would skip time between evaluations), retrain
 * only where a retraining can help, no model where the kind watches the whole service. Returns
 * the problems (each naming its field) or the rule as stored.
 */
export function checkRule(
  rule: CreateAlertRuleDto,
  evaluationIntervalMs: number,
): { rule: CheckedRule } | { problems: ErrorDetailInput[] } {
  const problems: ErrorDetailInput[] = [];
  const parsed = PARAMS[rule.kind].safeParse(rule.params ?? {});
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((i) => paramProblems(rule.kind, i)));
  if (rule.windowSeconds * 1000 < evaluationIntervalMs)
    problems.push({
      field: 'windowSeconds',
      message: `must be at least the evaluation interval (ALERT_EVALUATION_INTERVAL_MS: ${evaluationIntervalMs / 1000} s)`,
    });
  if (rule.retrain && !RETRAIN_KINDS.includes(rule.kind))
    problems.push({
      field: 'retrain',
      message: `only drift and quality rules (${RETRAIN_KINDS.join(', ')}) can start a retraining, not ${rule.kind}`,
    });
  const model = rule.model ?? null;
  if (model !== null && SERVICE_KINDS.includes(rule.kind))
    problems.push({ field: 'model', message: `${rule.kind} watches the whole prediction log, not one model: omit it` });
  if (problems.length || !parsed.success) return { problems };
  return {
    rule: {
      name: rule.name,
      kind: rule.kind,
      model,
      params: parsed.data,
      severity: rule.severity,
      windowSeconds: rule.windowSeconds,
      forSeconds: rule.forSeconds,
      retrain: rule.retrain ?? false,
      enabled: rule.enabled ?? true,
    },
  };
}

function paramProblems(kind: AlertKind, issue: ZodIssue): ErrorDetailInput[] {
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({
      field: `params.${key}`,
      message: `is not a param of ${kind}; it takes: ${paramNames(kind).join(', ')}`,
    }));
  const field = ['params', ...issue.path].join('.');
  return [{ field, message: issue.message === 'Required' ? 'is required' : issue.message }];
}

/**
 * A rule given as plain data (ALERT_RULES_DEFAULT's JSON): the API's DTO checks, then checkRule.
 * `where` prefixes each field (`ALERT_RULES_DEFAULT[2].kind`).
 */
export function checkPlainRule(
  plain: unknown,
  evaluationIntervalMs: number,
  where: string,
): { rule: CheckedRule } | { problems: ErrorDetailInput[] } {
  const dto = plainToInstance(CreateAlertRuleDto, plain);
  const shape = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  const result = shape.length ? { problems: flatten(shape) } : checkRule(dto, evaluationIntervalMs);
  if ('rule' in result) return result;
  return { problems: result.problems.map((p) => ({ ...p, field: `${where}.${p.field}` })) };
}
