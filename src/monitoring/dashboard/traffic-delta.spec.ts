import { Registry } from 'prom-client';
import { HotHistogram } from '../../common/hot-histogram';
import { histogramQuantile, LATENCY_FAMILY, snapshots, trafficBetween } from './traffic-delta';

const BOUNDS = [0.001, 0.005, 0.01, 0.1];

/** Inference's family as it is made (HotHistogram), with the labels inference gives it. */
function family() {
  const registry = new Registry();
  const h = new HotHistogram({ name: LATENCY_FAMILY, help: 'h', buckets: BOUNDS, registers: [registry] });
  const series = (model: string, version: string, alias: string, outcome: string) =>
    h.series(`${model}|${version}|${alias}|${outcome}`, () => ({
      model,
      version,
      alias,
      protocol: 'predict',
      outcome,
    }));
  const read = async () => snapshots((await registry.getSingleMetric(LATENCY_FAMILY)!.get()).values);
  return { h, series, read };
}

describe('traffic between two reads of the latency histogram', () => {
  it('interpolates quantiles inside buckets as histogram_quantile does', () => {
    // 10 in (0, 1 ms], 10 in (1, 5 ms]
    expect(histogramQuantile(0.5, [0.001, 0.005], [10, 20], 20)).toBeCloseTo(0.001);
    expect(histogramQuantile(0.75, [0.001, 0.005], [10, 20], 20)).toBeCloseTo(0.003);
    expect(histogramQuantile(0.25, [0.001, 0.005], [10, 20], 20)).toBeCloseTo(0.0005);
    // beyond the last finite bound: that bound
    expect(histogramQuantile(0.99, [0.001], [1, 1], 10)).toBe(0.001);
    expect(histogramQuantile(0.5, [0.001], [0], 0)).toBeNull();
  });

  it('counts the interval per version and alias: requests, errors, answered latency', async () => {
    const f = family();
    const ok = f.series('credit', '3', 'production', 'ok');
    ok.observe(0.0008);
    const first = await f.read();
    for (let i = 0; i < 9; i++) ok.observe(0.0008);
    ok.observe(0.05);
    f.series('credit', '3', 'production', 'invalid').observe(0.0002);
    f.series('credit', '4', 'canary', 'error').observe(0.2);
    const models = trafficBetween(first, await f.read());
    expect(models).toEqual([
      { model: 'credit', version: 3, alias: 'production', requests: 11, errors: 1, latencyMs: expect.any(Object) },
      { model: 'credit', version: 4, alias: 'canary', requests: 1, errors: 1, latencyMs: null },
    ]);
    // rank 5 of 10 answered, in the first bucket (0, 1 ms] holding 9: 5/9 ms
    expect(models[0].latencyMs!.p50).toBeCloseTo(5 / 9, 3);
    expect(models[0].latencyMs!.p99).toBeGreaterThan(10);
    expect(models[0].latencyMs!.p99).toBeLessThanOrEqual(100);
  });

  it('leaves out versions without requests in the interval and shadow scoring', async () => {
    const f = family();
    f.series('credit', '3', 'production', 'ok').observe(0.001);
    const first = await f.read();
    f.series('credit', '5', 'shadow', 'ok').observe(0.001);
    expect(trafficBetween(first, await f.read())).toEqual([]);
  });

  it('counts a series made again (its version left the model cache and came back) from zero', async () => {
    const f = family();
    const s = f.series('credit', '3', 'production', 'ok');
    for (let i = 0; i < 5; i++) s.observe(0.001);
    const first = await f.read();
    f.h.forget(() => true);
    f.series('credit', '3', 'production', 'ok').observe(0.001);
    expect(trafficBetween(first, await f.read())).toMatchObject([{ version: 3, requests: 1, errors: 0 }]);
  });
});
