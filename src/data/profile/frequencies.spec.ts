import { histogram, percentileCont } from '../../ml';
import { histogramFromFrequencies, quantilesFromFrequencies } from './frequencies';

describe('statistics from frequencies', () => {
  it('interpolates quantiles like percentile_cont (values by hand)', () => {
    // 1, 2, 2, 2, 10: n = 5; p = 0.5 → index 2 → 2; p = 0.9 → pos 3.6 → 2 + (10 − 2)·0.6 = 6.8
    const f = { values: [1, 2, 10], counts: [1, 3, 1] };
    const [q0, q25, q50, q90, q100] = quantilesFromFrequencies(f, [0, 0.25, 0.5, 0.9, 1]);
    expect([q0, q25, q50, q100]).toEqual([1, 2, 2, 10]);
    expect(q90).toBeCloseTo(6.8, 12);
    expect(quantilesFromFrequencies({ values: [], counts: [] }, [0.5])).toEqual([]);
  });

  it('agrees exactly with the ML library on the expanded values', () => {
    const f = { values: [-3.5, 0, 0.1, 7, 12.25], counts: [2, 5, 1, 3, 4] };
    const expanded = Float64Array.from(f.values.flatMap((v, i) => new Array<number>(f.counts[i]).fill(v)));
    const ps = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.1, 0.3];
    expect(quantilesFromFrequencies(f, ps)).toEqual(ps.map((p) => percentileCont(expanded, p)));
    const edges = [-1, 0, 0.1, 7, 10];
    expect(histogramFromFrequencies(f, edges)).toEqual(histogram(expanded, edges));
  });

  it('bins by hand: left-closed bins, closed last bin, below and above apart', () => {
    expect(
      histogramFromFrequencies({ values: [0, 5, 10, 20, 30, 31], counts: [1, 2, 3, 4, 5, 6] }, [1, 10, 30]),
    ).toEqual({
      edges: [1, 10, 30],
      counts: [2, 3 + 4 + 5],
      below: 1,
      above: 6,
    });
  });
});
