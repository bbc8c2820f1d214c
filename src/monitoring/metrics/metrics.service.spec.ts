import { Counter, Histogram } from 'prom-client';
import { parsePrometheusText } from '../../../test/support/prometheus-text';
import { MetricsService } from './metrics.service';

describe('MetricsService', () => {
  it('exposes default Node metrics and metrics that modules register on its registry', async () => {
    const metrics = new MetricsService();
    new Counter({ name: 'mlapi_test_total', help: 'test', registers: [metrics.registry] }).inc(3);
    const text = await metrics.metrics();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('mlapi_test_total 3');
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it('keeps one registry per instance, so two apps in one process never collide', () => {
    const a = new MetricsService();
    const b = new MetricsService();
    const make = (m: MetricsService) => new Counter({ name: 'mlapi_same_total', help: 'x', registers: [m.registry] });
    expect(() => {
      make(a);
      make(b);
    }).not.toThrow();
  });

  it("writes text the tests' strict Prometheus reader accepts, which refuses malformed text", async () => {
    const metrics = new MetricsService();
    const h = new Histogram({ name: 'mlapi_h_seconds', help: 'h', labelNames: ['a'], registers: [metrics.registry] });
    h.observe({ a: 'x"\\\ny' }, 0.3);
    const e = parsePrometheusText(await metrics.metrics());
    expect(e.family('mlapi_h_seconds').type).toBe('histogram');
    expect(e.value('mlapi_h_seconds_count', { a: 'x"\\\ny' })).toBe(1);
    const bad = [
      'mlapi_x 1', // no TYPE
      '# TYPE mlapi_x counter\nmlapi_x 1\nmlapi_x 2', // the same series twice
      '# TYPE mlapi_x counter\nmlapi_x{a=b} 1', // an unquoted label value
      '# TYPE mlapi_x counter\nmlapi_x one', // not a number
      '# TYPE mlapi_h histogram\nmlapi_h_bucket{le="1"} 2\nmlapi_h_bucket{le="+Inf"} 1\nmlapi_h_sum 1\nmlapi_h_count 1',
    ];
    for (const text of bad) expect(() => parsePrometheusText(text)).toThrow();
  });
});
