import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { AlertMetrics } from './alert-metrics';

describe('AlertMetrics', () => {
  const setup = (query: () => Promise<unknown>) => {
    const registry = new Registry();
    new AlertMetrics(registry, { query } as unknown as DataSource).onModuleInit();
    return async () => (await registry.getSingleMetric('mlapi_alerts_firing')!.get()).values;
  };

  it('reports each rule with its firing count, a quiet rule as 0, and drops a deleted rule', async () => {
    let rows = [
      { rule: 'drift', severity: 'warning', firing: 2 },
      { rule: 'quiet', severity: 'info', firing: 0 },
    ];
    const read = setup(() => Promise.resolve(rows));
    expect(await read()).toEqual([
      { labels: { rule: 'drift', severity: 'warning' }, value: 2 },
      { labels: { rule: 'quiet', severity: 'info' }, value: 0 },
    ]);
    rows = [{ rule: 'quiet', severity: 'info', firing: 1 }];
    expect(await read()).toEqual([{ labels: { rule: 'quiet', severity: 'info' }, value: 1 }]);
  });

  it('answers NaN for the known series within the bound when PostgreSQL does not answer', async () => {
    let answer: () => Promise<unknown> = () => Promise.resolve([{ rule: 'drift', severity: 'warning', firing: 1 }]);
    const read = setup(() => answer());
    await read();
    answer = () => new Promise(() => undefined);
    const started = Date.now();
    expect(await read()).toEqual([{ labels: { rule: 'drift', severity: 'warning' }, value: NaN }]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
