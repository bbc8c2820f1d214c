import { calibrationMetrics, numericMetrics, snakeCase } from './training-runner';

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

describe('calibration metrics', () => {
  it('records ECE before and after, on validation and test, under their own names', () => {
    const calibration = {
      method: 'platt' as const,
      maps: [],
      rows: 30,
      ece: {
        bins: 15,
        of: 'positiveClass' as const,
        validation: { before: 0.2, after: 0.05 },
        test: { before: 0.25, after: NaN },
      },
    };
    expect(calibrationMetrics(calibration)).toEqual({
      calibration_ece_val_before: 0.2,
      calibration_ece_val_after: 0.05,
      calibration_ece_test_before: 0.25,
    });
    expect(calibrationMetrics(null)).toEqual({});
  });
});
