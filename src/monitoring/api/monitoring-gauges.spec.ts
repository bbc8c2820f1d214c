import { Registry } from 'prom-client';
import type { AppConfig } from '../../config/app-config';
import type { MonitoringResult } from '../results/monitoring-results';
import type { LatestSelection, ResultsSeries } from '../results/results-series';
import type { WindowJob } from '../windows/window-job.service';
import { MonitoringGauges } from './monitoring-gauges';

const env = {
  MONITORING_WINDOW_INTERVAL_MS: 60_000,
  MONITORING_WINDOW_MS: 3_600_000,
  MONITORING_REALISED_INTERVAL_MS: 300_000,
};
const end = new Date('2026-01-05T10:00:00Z');
const row = (version: number, statistic: string, value: number | null, verdict: string | null = null, column = '') =>
  ({
    model: 'credit',
    version,
    windowStart: end,
    windowEnd: end,
    column,
    statistic,
    value,
    verdict,
  }) as MonitoringResult;

describe('MonitoringGauges', () => {
  // Past any Date.now() of this run, so the scrapes below share the refresh the test made.
  let now = Date.now() + 3_600_000;
  let answer: () => Promise<MonitoringResult[]>;
  const latestAll = jest.fn((_: LatestSelection[]) => answer());
  const registry = new Registry();
  const gauges = new MonitoringGauges(
    registry,
    { latestAll } as unknown as ResultsSeries,
    {
      inService: () =>
        Promise.resolve([
          { model: 'credit', version: 1, aliases: ['production'] },
          { model: 'credit', version: 2, aliases: ['challenger'] },
          { model: 'credit', version: 3, aliases: ['shadow'] },
        ]),
    } as unknown as WindowJob,
    { env } as unknown as AppConfig,
  );
  const samples = async (name: string) =>
    (await registry.getSingleMetric(name)!.get()).values.map((v) => ({ ...v.labels, value: v.value }));
  const refresh = () => gauges.refresh((now += 10_000));

  it('reads drift, estimated and realised rows in one query, each with the age its job allows', async () => {
    answer = () => Promise.resolve([]);
    latestAll.mockClear();
    await refresh();
    expect(latestAll).toHaveBeenCalledTimes(1);
    const [window, realised] = latestAll.mock.calls[0][0];
    expect(window).toMatchObject({ statistics: ['drift'], prefixes: ['estimated_'] });
    expect(window.since.getTime()).toBe(now - 3 * 60_000 - 60_000);
    expect(realised.prefixes).toEqual(['realised_']);
    expect([...realised.statistics!].sort()).toEqual([
      'labelled_share',
      'shadow_agreement',
      'shadow_probability_diff_mean',
    ]);
    // A realised window ended up to a window before its run, then three realised intervals.
    expect(realised.since.getTime()).toBe(now - 3_600_000 - 3 * 300_000 - 60_000);
  });

  it('maps realised quality, the labelled share and the shadow comparison of versions in service, without insufficient_data', async () => {
    answer = () =>
      Promise.resolve([
        row(1, 'realised_accuracy', 0.85),
        row(1, 'realised_roc_auc', 0.9),
        row(1, 'labelled_share', 0.75),
        row(2, 'realised_accuracy', null, 'insufficient_data'),
        // Even with a value, a figure below the minimum of labels is not one.
        row(2, 'realised_f1', 1, 'insufficient_data'),
        row(2, 'labelled_share', 1),
        row(3, 'shadow_agreement', 0.95),
        row(3, 'shadow_probability_diff_mean', 0.04),
        // The shadow's own realised figures on the pairs are the comparison's details, not realised quality.
        row(3, 'shadow_realised_accuracy', 0.7),
        row(2, 'estimated_accuracy', null, 'insufficient_data'),
        row(1, 'estimated_accuracy', 0.8),
        row(1, 'drift', 0.2, 'no_drift', 'Income'),
        // No longer in service.
        row(9, 'realised_accuracy', 0.5),
        row(9, 'shadow_agreement', 0.5),
      ]);
    await refresh();
    expect(await samples('mlapi_realised_quality')).toEqual([
      { model: 'credit', version: '1', metric: 'accuracy', value: 0.85 },
      { model: 'credit', version: '1', metric: 'roc_auc', value: 0.9 },
    ]);
    expect(await samples('mlapi_realised_labelled_share')).toEqual([
      { model: 'credit', version: '1', value: 0.75 },
      { model: 'credit', version: '2', value: 1 },
    ]);
    expect(await samples('mlapi_shadow_agreement')).toEqual([{ model: 'credit', version: '3', value: 0.95 }]);
    expect(await samples('mlapi_shadow_probability_diff_mean')).toEqual([
      { model: 'credit', version: '3', value: 0.04 },
    ]);
    expect(await samples('mlapi_estimated_quality')).toEqual([
      { model: 'credit', version: '1', metric: 'accuracy', value: 0.8 },
    ]);
    expect(await samples('mlapi_drift_verdict')).toEqual([
      { model: 'credit', version: '1', feature: 'Income', value: 0 },
    ]);
  });

  it('drops a series whose row is gone, and answers NaN for the last series when PostgreSQL does not answer', async () => {
    answer = () => Promise.resolve([row(1, 'realised_accuracy', 0.6), row(3, 'shadow_agreement', 0.5)]);
    await refresh();
    expect(await samples('mlapi_realised_labelled_share')).toEqual([]);
    answer = () => Promise.reject(new Error('connection refused'));
    await refresh();
    expect(await samples('mlapi_realised_quality')).toEqual([
      { model: 'credit', version: '1', metric: 'accuracy', value: NaN },
    ]);
    expect(await samples('mlapi_shadow_agreement')).toEqual([{ model: 'credit', version: '3', value: NaN }]);
    answer = () => Promise.resolve([row(1, 'realised_accuracy', 0.7)]);
    await refresh();
    expect(await samples('mlapi_realised_quality')).toEqual([
      { model: 'credit', version: '1', metric: 'accuracy', value: 0.7 },
    ]);
  });
});
