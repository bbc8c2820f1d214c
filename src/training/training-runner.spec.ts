import { numericMetrics, snakeCase } from './training-runner';

describe('metric naming', () => {
  it('uses snake_case names as MLflow and the gate do', () => {
    expect(snakeCase('rocAuc')).toBe('roc_auc');
    expect(snakeCase('logLoss')).toBe('log_loss');
    expect(snakeCase('f1')).toBe('f1');
  });

  it('keeps finite numbers only', () => {
    const metrics = { task: 'binary', rocAuc: 0.8, prAuc: Number.NaN, confusion: { tp: 1 }, n: 10 };
    expect(numericMetrics({ metrics } as never)).toEqual({ roc_auc: 0.8, n: 10 });
  });
});
