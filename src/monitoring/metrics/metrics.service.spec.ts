import { Counter } from 'prom-client';
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
});
