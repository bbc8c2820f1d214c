import { Histogram, Registry } from 'prom-client';
import { parsePrometheusText } from '../../test/support/prometheus-text';
import { HotHistogram } from './hot-histogram';

describe('HotHistogram', () => {
  it("writes the same samples as prom-client's Histogram, and the counter of its series' counts", async () => {
    const registry = new Registry();
    const buckets = [0.01, 0.1, 1];
    const theirs = new Histogram({ name: 'theirs', help: 'x', labelNames: ['a', 'b'], buckets, registers: [registry] });
    const ours = new HotHistogram({
      name: 'ours',
      help: 'x',
      buckets,
      registers: [registry],
      counter: { name: 'ours_total', help: 'y' },
    });
    const values: [string, string, number][] = [
      ['x', '1', 0.005],
      ['x', '1', 0.01],
      ['x', '1', 0.5],
      ['y"\\', '2', 7],
      ['x', '1', 0.05],
    ];
    for (const [a, b, v] of values) {
      theirs.observe({ a, b }, v);
      ours.series(`${a}|${b}`, () => ({ a, b })).observe(v);
    }
    const e = parsePrometheusText(await registry.metrics());
    expect(e.family('ours').type).toBe('histogram');
    const samples = (name: string) => e.family(name).samples.map((s) => ({ ...s, name: s.name.replace(name, '') }));
    expect(samples('ours')).toEqual(samples('theirs'));
    expect(e.family('ours_total').type).toBe('counter');
    expect(e.value('ours_total', { a: 'x', b: '1' })).toBe(4);
    expect(e.value('ours_total', { a: 'y"\\', b: '2' })).toBe(1);

    ours.forget((labels) => labels.a === 'x');
    const after = parsePrometheusText(await registry.metrics());
    expect(after.samples('ours_count').map((s) => s.labels.a)).toEqual(['y"\\']);
  });
});
