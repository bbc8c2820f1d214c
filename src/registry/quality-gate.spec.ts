import { evaluateGate, lowerIsBetter, parseMinMetrics, type GateConfig, type GateSubject } from './quality-gate';

const config: GateConfig = {
  minMetrics: [{ metric: 'roc_auc', op: '>=', threshold: 0.7 }],
  primaryMetrics: ['roc_auc', 'rmse'],
  maxRegression: 0.01,
  onDifferentData: 'warn',
};
const subject = (
  version: number,
  metrics: Record<string, number>,
  data: string | null = 'ds-1',
  split: string | null = 'seed=1',
): GateSubject => ({
  version,
  metrics,
  evaluationDatasetVersionId: data,
  evaluationSplit: split,
});

describe('parseMinMetrics', () => {
  it('parses >=, <= and = (meaning >=)', () => {
    expect(parseMinMetrics('roc_auc=0.7, rmse<=4.5,accuracy>=0.6')).toEqual([
      { metric: 'roc_auc', op: '>=', threshold: 0.7 },
      { metric: 'rmse', op: '<=', threshold: 4.5 },
      { metric: 'accuracy', op: '>=', threshold: 0.6 },
    ]);
    expect(parseMinMetrics('')).toEqual([]);
  });

  it('names a malformed entry', () => {
    expect(() => parseMinMetrics('roc_auc>0.7')).toThrow(/roc_auc>0.7/);
    expect(() => parseMinMetrics('auc=high')).toThrow(/auc=high/);
  });
});

describe('evaluateGate', () => {
  it('passes a first promotion that meets the minimums', () => {
    const r = evaluateGate(config, subject(1, { roc_auc: 0.8 }), null);
    expect(r).toMatchObject({ passed: true, reasons: [], primaryMetric: 'roc_auc', current: null });
  });

  it('refuses a candidate under a minimum or missing the metric', () => {
    expect(evaluateGate(config, subject(1, { roc_auc: 0.69 }), null).reasons).toEqual([
      { field: 'metrics.roc_auc', message: 'roc_auc is 0.69; the gate requires >= 0.7' },
    ]);
    const missing = evaluateGate(config, subject(1, { accuracy: 0.9 }), null);
    expect(missing.passed).toBe(false);
    expect(missing.reasons[0]?.message).toMatch(/has no roc_auc/);
  });

  it('allows a regression up to the margin and refuses a larger one', () => {
    const current = subject(1, { roc_auc: 0.85 });
    expect(evaluateGate(config, subject(2, { roc_auc: 0.84 }), current).passed).toBe(true);
    const worse = evaluateGate(config, subject(2, { roc_auc: 0.83 }), current);
    expect(worse.passed).toBe(false);
    expect(worse.reasons[0]?.message).toMatch(/worse than version 1's 0.85 by 0.02 \(allowed 0.01\)/);
    expect(worse.current).toEqual({ version: 1, value: 0.85 });
    expect(worse.sameEvaluationData).toBe(true);
  });

  it('treats losses and errors as lower-is-better', () => {
    expect(lowerIsBetter('rmse')).toBe(true);
    expect(lowerIsBetter('roc_auc')).toBe(false);
    const cfg: GateConfig = { ...config, minMetrics: [] };
    expect(evaluateGate(cfg, subject(2, { rmse: 3.0 }), subject(1, { rmse: 2.5 })).passed).toBe(false);
    expect(evaluateGate(cfg, subject(2, { rmse: 2.0 }), subject(1, { rmse: 2.5 })).passed).toBe(true);
  });

  it('warns, and still compares, when the held-out data differ (warn mode)', () => {
    const r = evaluateGate(config, subject(2, { roc_auc: 0.9 }, 'ds-2'), subject(1, { roc_auc: 0.8 }, 'ds-1'));
    expect(r.passed).toBe(true);
    expect(r.sameEvaluationData).toBe(false);
    expect(r.warnings.join(' ')).toMatch(/different held-out data \(ds-1 \/ seed=1 vs ds-2 \/ seed=1\)/);
    const split = evaluateGate(config, subject(2, { roc_auc: 0.9 }, 'ds-1', 'seed=2'), subject(1, { roc_auc: 0.8 }));
    expect(split.sameEvaluationData).toBe(false);
  });

  it('refuses different held-out data in refuse mode', () => {
    const r = evaluateGate(
      { ...config, onDifferentData: 'refuse' },
      subject(2, { roc_auc: 0.9 }, 'ds-2'),
      subject(1, { roc_auc: 0.8 }),
    );
    expect(r.passed).toBe(false);
    expect(r.reasons.map((x) => x.field)).toEqual(['evaluationDatasetVersionId']);
  });

  it('refuses a candidate lacking the primary metric the holder has', () => {
    const r = evaluateGate({ ...config, minMetrics: [] }, subject(2, { accuracy: 0.9 }), subject(1, { roc_auc: 0.8 }));
    expect(r.passed).toBe(false);
    expect(r.reasons[0]?.field).toBe('metrics.roc_auc');
  });

  it('does not compare a version with itself', () => {
    const r = evaluateGate(config, subject(1, { roc_auc: 0.8 }), subject(1, { roc_auc: 0.8 }));
    expect(r).toMatchObject({ passed: true, current: null, sameEvaluationData: null });
  });
});
