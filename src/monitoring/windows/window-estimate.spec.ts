import { DEFAULT_DRIFT_SETTINGS, numericProfile, type BundleMeta } from '../../ml';
import type { Prediction } from '../../inference';
import { bucketDrift } from '../buckets/bucket-drift';
import { emptyAggregate, sumAggregates, type BucketAggregate } from '../buckets/bucket-aggregate';
import { countRequest } from '../buckets/bucket-counting';
import { buildPlan } from '../buckets/bucket-plan';
import { estimateWindowQuality } from './window-estimate';
import { windowRows } from './window-results';
import type { VersionReference } from './version-references';

const classes = ['a', 'b', 'c'];
const meta = {
  referenceProfile: { rows: 0, features: [], prediction: numericProfile([]) },
  preprocessing: { features: [] },
  target: { task: 'multiclass', classes },
} as unknown as BundleMeta;
const plan = buildPlan(meta);
const reference: VersionReference = {
  profile: meta.referenceProfile,
  target: meta.target,
  threshold: null,
  calibration: null,
  plan,
};
const rows = Array.from({ length: 300 }, (_, i) => {
  const z = [1 + (i % 7), 1 + (i % 5), 1 + (i % 3)];
  const s = z[0] + z[1] + z[2];
  return z.map((v) => v / s);
});
const outputs: Prediction[] = rows.map((r) => ({
  ok: true,
  label: classes[r.indexOf(Math.max(...r))],
  probabilities: Object.fromEntries(classes.map((c, k) => [c, r[k]])),
}));

function counted(): BucketAggregate {
  const agg = emptyAggregate(plan);
  countRequest(
    agg,
    plan,
    rows.map(() => ({})),
    outputs,
  );
  return agg;
}

describe('multiclass CBPE from the buckets', () => {
  it('the buckets keep each class’s probabilities over the rows predicted it', () => {
    const agg = counted();
    agg.prediction.probabilities.forEach((h, k) => {
      const mine = rows.filter((r) => r.indexOf(Math.max(...r)) === k).map((r) => r[k]);
      expect(h.predicted!.counts.reduce((a, b) => a + b, 0)).toBe(mine.length);
      expect(h.predicted!.sums.reduce((a, b) => a + b, 0)).toBeCloseTo(
        mine.reduce((a, b) => a + b, 0),
        10,
      );
    });
  });

  it('gives estimated accuracy and macro precision, recall, F1 rows beside the ROC AUC', () => {
    const agg = counted();
    const estimate = estimateWindowQuality(agg, reference);
    const accuracy = rows.reduce((s, r) => s + Math.max(...r), 0) / rows.length;
    const results = windowRows({
      model: 'm',
      version: 1,
      from: new Date(0),
      to: new Date(3_600_000),
      report: bucketDrift(agg, meta.referenceProfile),
      settings: DEFAULT_DRIFT_SETTINGS,
      estimate,
    });
    const estimated = Object.fromEntries(
      results.filter((r) => r.statistic.startsWith('estimated_')).map((r) => [r.statistic, r]),
    );
    expect(Object.keys(estimated).sort()).toEqual([
      'estimated_accuracy',
      'estimated_f1',
      'estimated_precision',
      'estimated_recall',
      'estimated_roc_auc',
    ]);
    expect(estimated.estimated_accuracy.value).toBeCloseTo(accuracy, 12);
    expect(estimated.estimated_precision.details).toMatchObject({
      method: 'cbpe one-vs-rest',
      average: expect.any(String),
    });
    expect((estimated.estimated_f1.details as { classes: unknown[] }).classes).toHaveLength(3);
  });

  it('a window summed with a bucket from before the predicted histograms estimates the ROC AUC only', () => {
    const older = counted();
    older.prediction.probabilities.forEach((h) => delete h.predicted);
    const sum = sumAggregates([counted(), older])!;
    expect(sum.prediction.probabilities.every((h) => h.predicted === undefined)).toBe(true);
    const estimate = estimateWindowQuality(sum, reference);
    expect(estimate).toMatchObject({ task: 'multiclass', notEstimated: ['accuracy', 'precision', 'recall', 'f1'] });
  });
});
