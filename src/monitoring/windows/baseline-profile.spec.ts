import { creditMeta, output, type Values } from '../../../test/support/bucket-fixture';
import type { BundleMeta } from '../../ml';
import { BucketAccumulator } from '../buckets/bucket-accumulator';
import { bucketDrift } from '../buckets/bucket-drift';
import { baselineProfile } from './baseline-profile';
import { windowRows } from './window-results';
import { DEFAULT_DRIFT_SETTINGS } from '../../ml';

const { meta, rest } = creditMeta();
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

function window(m: BundleMeta, rows: Values[]) {
  const acc = new BucketAccumulator();
  rows.forEach((r, i) =>
    acc.observe({
      model: 'credit',
      version: 1,
      alias: 'production',
      at: T0,
      meta: m,
      values: [r],
      outputs: [output((i % 97) / 96)],
    }),
  );
  return acc.seal(T0, true)[0].aggregate;
}

const shifted = (rows: Values[]) =>
  rows.map((r, i) => ({
    ...r,
    Income: typeof r.Income === 'number' ? r.Income * 1.6 : r.Income,
    Amount: typeof r.Amount === 'number' ? r.Amount + 600 : r.Amount,
    Home: i % 200 === 0 ? 'castle' : r.Home,
  }));
const drifted = (report: ReturnType<typeof bucketDrift>) =>
  report.columns.filter((c) => c.drift.drifted).map((c) => c.name);

describe('window against window: a baseline window as the reference side', () => {
  const half = Math.floor(rest.length / 2);
  const lastWeek = window(meta, rest.slice(0, half));

  it('keeps the training bins and category order, with the baseline counts', () => {
    const profile = baselineProfile(lastWeek, meta.referenceProfile);
    expect(profile.rows).toBe(half);
    const income = profile.features.find((f) => f.name === 'Income')!.profile;
    const training = meta.referenceProfile.features.find((f) => f.name === 'Income')!.profile;
    if (income.kind !== 'numeric' || training.kind !== 'numeric') throw new Error('Income is numeric');
    expect(income.histogram!.edges).toEqual(training.histogram!.edges);
    expect(income.histogram!.counts).toEqual(lastWeek.numeric.find((n) => n.name === 'Income')!.counts);
    const home = profile.features.find((f) => f.name === 'Home')!.profile;
    const trainingHome = meta.referenceProfile.features.find((f) => f.name === 'Home')!.profile;
    if (home.kind !== 'category' || trainingHome.kind !== 'category') throw new Error('Home is a category');
    expect(home.top.map((t) => t.value)).toEqual(trainingHome.top.map((t) => t.value));
    expect(home.count + home.missing).toBe(half);
  });

  it('a window like its baseline: no drift; shifted: Income and Amount, and the new Home value is unseen against the baseline', () => {
    const profile = baselineProfile(lastWeek, meta.referenceProfile);
    expect(drifted(bucketDrift(window(meta, rest.slice(half)), profile))).toEqual([]);
    const report = bucketDrift(window(meta, shifted(rest.slice(half))), profile);
    expect(drifted(report)).toEqual(['Income', 'Amount']);
    expect(report.columns.find((c) => c.name === 'Home')!.drift.unseen?.rows).toBeGreaterThan(0);
  });

  it('writes the comparison under baseline_ statistics naming the baseline, without quality or estimates', () => {
    const profile = baselineProfile(lastWeek, meta.referenceProfile);
    const baseline = { from: new Date(T0 - 7 * 86_400_000), to: new Date(T0 - 6 * 86_400_000) };
    const rows = windowRows({
      model: 'credit',
      version: 1,
      from: new Date(T0),
      to: new Date(T0 + 86_400_000),
      report: bucketDrift(window(meta, rest.slice(half)), profile),
      settings: DEFAULT_DRIFT_SETTINGS,
      estimate: null,
      baseline,
    });
    expect(rows.every((r) => r.statistic.startsWith('baseline_'))).toBe(true);
    expect(rows.some((r) => r.statistic.endsWith('_rate'))).toBe(false);
    expect(rows.find((r) => r.column === '' && r.statistic === 'baseline_drift')).toMatchObject({
      verdict: 'no_drift',
      details: { baseline: { from: baseline.from.toISOString(), to: baseline.to.toISOString() } },
    });
  });
});
