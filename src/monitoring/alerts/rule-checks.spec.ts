import { checkRule } from './rule-checks';
import { defaultRules } from './default-rules';
import type { CreateAlertRuleDto } from './dto/alert-rule.dto';

const rule = (over: Partial<CreateAlertRuleDto> = {}): CreateAlertRuleDto => ({
  name: 'r',
  kind: 'error_rate',
  severity: 'warning',
  windowSeconds: 300,
  forSeconds: 60,
  ...over,
});
const problems = (r: CreateAlertRuleDto) => {
  const result = checkRule(r, 60_000);
  return 'problems' in result ? result.problems : [];
};

describe('alert rule checks', () => {
  it('fills in the params a kind defaults', () => {
    const result = checkRule(rule(), 60_000);
    expect('rule' in result && result.rule).toMatchObject({
      params: { threshold: 0.05, minRequests: 20, includeInvalid: false },
      model: null,
      retrain: false,
      enabled: true,
    });
  });

  it('refuses a param the kind does not take, naming the ones it takes', () => {
    expect(problems(rule({ params: { floor: 0.8 } }))).toEqual([
      {
        field: 'params.floor',
        message: 'is not a param of error_rate; it takes: threshold, minRequests, includeInvalid',
      },
    ]);
  });

  it('names a missing or bad param', () => {
    expect(problems(rule({ kind: 'realised_quality_floor', params: { metric: 'rmse' } })).map((p) => p.field)).toEqual([
      'params.metric',
      'params.floor',
    ]);
    expect(problems(rule({ kind: 'latency_p99', params: {} }))).toEqual([
      { field: 'params.thresholdMs', message: 'is required' },
    ]);
  });

  it('refuses a window shorter than the evaluation interval', () => {
    expect(problems(rule({ windowSeconds: 30 }))).toEqual([
      {
        field: 'windowSeconds',
        message: 'must be at least the evaluation interval (ALERT_EVALUATION_INTERVAL_MS: 60 s)',
      },
    ]);
  });

  it('takes retrain on drift and quality kinds only, and no model on log drops', () => {
    expect(problems(rule({ retrain: true })).map((p) => p.field)).toEqual(['retrain']);
    expect(problems(rule({ kind: 'drift_verdict', retrain: true, model: 'credit' }))).toEqual([]);
    expect(problems(rule({ kind: 'log_drops', model: 'credit' })).map((p) => p.field)).toEqual(['model']);
  });
});

describe('default rules (ALERT_RULES_DEFAULT)', () => {
  it('builtin passes the API checks; none is empty', () => {
    expect(defaultRules('builtin', 60_000).map((r) => r.kind)).toEqual([
      'training_failures',
      'log_drops',
      'error_rate',
      'latency_p99',
      'drift_verdict',
      'data_quality_rate',
    ]);
    expect(defaultRules('none', 60_000)).toEqual([]);
  });

  it('takes a JSON array and names each bad field by its place in the setting', () => {
    expect(() =>
      defaultRules('[{"name":"a","kind":"nope","severity":"warning","windowSeconds":60,"forSeconds":0}]', 60_000),
    ).toThrow(/ALERT_RULES_DEFAULT\[0\]\.kind: kind must be one of the following values/);
    expect(() =>
      defaultRules(
        '[{"name":"a","kind":"log_drops","severity":"warning","windowSeconds":60,"forSeconds":0,"params":{"x":1}}]',
        60_000,
      ),
    ).toThrow('ALERT_RULES_DEFAULT[0].params.x: is not a param of log_drops; it takes: threshold');
    expect(() => defaultRules('{', 60_000)).toThrow(/not builtin, none or JSON/);
  });
});
