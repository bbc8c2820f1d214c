import type { DiscoveryService } from '@nestjs/core';
import Bull, { type Queue } from 'bull';
import { Registry } from 'prom-client';
import { parsePrometheusText } from '../../../test/support/prometheus-text';
import { QUEUE_READ_TIMEOUT_MS, QueueMetrics } from './queue-metrics';

/** An object Bull's `instanceof` accepts, with only what QueueMetrics calls: no Redis connection. */
function fakeQueue(name: string, getJobCounts: () => Promise<Record<string, number>>): Queue {
  return Object.assign(Object.create(Bull.prototype) as Queue, { name, getJobCounts, on: () => undefined });
}

function metricsOf(queues: Queue[]) {
  const registry = new Registry();
  const providers = [...queues, { not: 'a queue' }].map((instance) => ({
    instance,
    isDependencyTreeStatic: () => true,
  }));
  const discovery = { getProviders: () => providers } as unknown as DiscoveryService;
  new QueueMetrics(discovery, registry).onModuleInit();
  return async () => parsePrometheusText(await registry.metrics());
}

describe('QueueMetrics', () => {
  it("reports every discovered queue's depth by state", async () => {
    const counts = { waiting: 3, active: 1, completed: 9, failed: 2, delayed: 1, paused: 0 };
    const scrape = metricsOf([fakeQueue('training', async () => counts), fakeQueue('mirror', async () => counts)]);
    const e = await scrape();
    expect(e.value('mlapi_queue_jobs', { queue: 'training', state: 'waiting' })).toBe(3);
    expect(e.value('mlapi_queue_jobs', { queue: 'mirror', state: 'failed' })).toBe(2);
    expect(e.samples('mlapi_queue_jobs', { state: 'completed' })).toEqual([]);
    expect(e.samples('mlapi_queue_jobs')).toHaveLength(10);
  });

  it('answers NaN within its bound when Redis does not answer, and the scrape does not hang', async () => {
    const scrape = metricsOf([fakeQueue('training', () => new Promise(() => undefined))]);
    const started = Date.now();
    const e = await scrape();
    expect(Date.now() - started).toBeLessThan(QUEUE_READ_TIMEOUT_MS * 3);
    expect(e.value('mlapi_queue_jobs', { queue: 'training', state: 'active' })).toBeNaN();
  });
});
