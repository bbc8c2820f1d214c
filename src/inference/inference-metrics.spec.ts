import { Registry } from 'prom-client';
import { parsePrometheusText } from '../../test/support/prometheus-text';
import { strict } from '../../test/support/strict';
import { InferenceMetrics } from './inference-metrics';
import type { PredictionLog } from './prediction-log/prediction-log.service';

describe('InferenceMetrics', () => {
  const log = strict<PredictionLog>('log', {
    stats: () => ({ dropped: 0, written: 0, failedFlushes: 0, buffered: 0 }),
  });

  function serve(metrics: InferenceMetrics, version: number, alias: string | null) {
    metrics.predicted('credit', version, alias, 'ok', 3);
    metrics.requestTime('credit', version, alias, 'predict', 'ok', 0.002);
    metrics.batch('credit', version, 3);
  }

  it('labels by the alias that answered (none for a named version) and removes a version leaving the cache', async () => {
    const registry = new Registry();
    const metrics = new InferenceMetrics(registry, log);
    serve(metrics, 1, 'production');
    serve(metrics, 1, null);
    serve(metrics, 2, 'canary');
    const before = parsePrometheusText(await registry.metrics());
    expect(before.value('mlapi_predictions_total', { version: '1', alias: 'none' })).toBe(3);
    expect(before.value('mlapi_predict_request_records_sum', { version: '1', alias: 'production' })).toBe(3);

    metrics.forgetVersion('credit', 1);
    serve(metrics, 2, 'canary');
    const after = parsePrometheusText(await registry.metrics());
    for (const name of [
      'mlapi_predictions_total',
      'mlapi_predict_request_duration_seconds_count',
      'mlapi_inference_batch_rows_count',
    ])
      expect([name, after.samples(name).map((s) => s.labels.version)]).toEqual([name, ['2']]);
    // Version 2's series kept counting through the cached children.
    expect(after.value('mlapi_predictions_total', { version: '2', alias: 'canary' })).toBe(6);
  });
});
