import { emptyAggregate, addAggregate, sumAggregates } from './bucket-aggregate';
import { BucketAccumulator } from './bucket-accumulator';
import { planFor } from './bucket-plan';
import {
  LATENCY_BINS,
  LATENCY_MAX_MS,
  LATENCY_MIN_MS,
  LATENCY_RATIO,
  emptyLatency,
  latencyBin,
  latencyEdge,
  latencyQuantile,
} from './latency-histogram';
import { creditMeta, output } from '../../../test/support/bucket-fixture';

/** The exact `q` quantile of `xs` (nearest rank), the reference the histogram's estimate is held to. */
const exact = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.max(Math.ceil(q * xs.length) - 1, 0)];

describe('latency histogram', () => {
  it('has LATENCY_BINS log-spaced bins from 0.1 ms to 60 s; out-of-range latencies go to the end bins', () => {
    expect(latencyEdge(0)).toBeCloseTo(LATENCY_MIN_MS, 12);
    expect(latencyEdge(LATENCY_BINS)).toBeCloseTo(LATENCY_MAX_MS, 6);
    expect(LATENCY_RATIO).toBeCloseTo(1.395, 3);
    expect([latencyBin(0), latencyBin(-1), latencyBin(Number.NaN), latencyBin(0.1)]).toEqual([0, 0, 0, 0]);
    expect(latencyBin(0.1 * LATENCY_RATIO * 1.0001)).toBe(1);
    expect(latencyBin(1e9)).toBe(LATENCY_BINS - 1);
    for (let i = 0; i < LATENCY_BINS; i++) expect(latencyBin(latencyEdge(i + 0.5))).toBe(i);
  });

  it('answers quantiles within a factor LATENCY_RATIO of the exact ones, null when empty', () => {
    expect(latencyQuantile(emptyLatency(), 0.5)).toBeNull();
    let seed = 3;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    // Log-normal-ish latencies around 5 ms with a tail, as a served model shows.
    const xs = Array.from({ length: 5000 }, () => Math.exp(Math.log(5) + 0.8 * (rand() + rand() + rand() - 1.5) * 2));
    const counts = emptyLatency();
    for (const x of xs) counts[latencyBin(x)]++;
    for (const q of [0.5, 0.95, 0.99]) {
      const ratio = latencyQuantile(counts, q)! / exact(xs, q);
      expect(ratio).toBeGreaterThan(1 / LATENCY_RATIO);
      expect(ratio).toBeLessThan(LATENCY_RATIO);
    }
    // Monotone in q.
    expect(latencyQuantile(counts, 0.5)!).toBeLessThan(latencyQuantile(counts, 0.99)!);
  });

  it('is counted once per request by the accumulator and adds up; a bucket from before it sums as empty', () => {
    const { meta, rest } = creditMeta();
    const acc = new BucketAccumulator();
    const at = Date.UTC(2026, 0, 1);
    const base = { model: 'credit', version: 1, alias: 'production', at, meta };
    acc.observe({ ...base, latencyMs: 3, values: rest.slice(0, 4), outputs: [0.1, 0.2, 0.8, 0.9].map(output) });
    acc.observe({ ...base, latencyMs: 40, values: rest.slice(4, 5), outputs: [output(0.3)] });
    acc.observe({ ...base, values: rest.slice(5, 6), outputs: [output(0.3)] });
    const [b] = acc.seal(at, true);
    expect(b.aggregate.rows).toBe(6);
    const expected = emptyLatency();
    expected[latencyBin(3)]++;
    expected[latencyBin(40)]++;
    expect(b.aggregate.latency).toEqual(expected);

    const old = emptyAggregate(planFor(meta));
    delete old.latency;
    const sum = sumAggregates([old, b.aggregate, old])!;
    expect(sum.latency).toEqual(expected);
    const twice = addAggregate(structuredClone(b.aggregate), b.aggregate);
    expect(twice.latency).toEqual(expected.map((c) => c * 2));
    const none = addAggregate(structuredClone(old), old);
    expect(none.latency).toBeUndefined();
  });
});
