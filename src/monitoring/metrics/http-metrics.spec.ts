import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { parsePrometheusText } from '../../../test/support/prometheus-text';
import { registerHttpMetrics, UNMATCHED_ROUTE } from './http-metrics';

async function app() {
  const registry = new Registry();
  const fastify = Fastify();
  registerHttpMetrics(fastify, registry);
  fastify.post('/models/:name/predict', async (req, reply) =>
    (req.params as { name: string }).name === 'credit' ? { ok: true } : reply.code(404).send({}),
  );
  await fastify.ready();
  const scrape = async () => parsePrometheusText(await registry.metrics());
  return { fastify, scrape };
}

describe('registerHttpMetrics', () => {
  it('labels requests by method, route template and status, never by the raw URL', async () => {
    const { fastify, scrape } = await app();
    await fastify.inject({ method: 'POST', url: '/models/credit/predict', payload: {} });
    await fastify.inject({ method: 'POST', url: '/models/fraud/predict?x=1', payload: {} });
    const e = await scrape();
    const route = { method: 'POST', route: '/models/:name/predict' };
    expect(e.value('mlapi_http_requests_total', { ...route, status: '200' })).toBe(1);
    expect(e.value('mlapi_http_requests_total', { ...route, status: '404' })).toBe(1);
    expect(e.value('mlapi_http_request_duration_seconds_count', { ...route, status: '200' })).toBe(1);
    expect(e.family('mlapi_http_request_duration_seconds').type).toBe('histogram');
  });

  it('counts every URL no route matches in one series per method and status', async () => {
    const { fastify, scrape } = await app();
    for (let i = 0; i < 50; i++) await fastify.inject({ method: 'GET', url: `/scan/${i}/${Math.random()}` });
    const e = await scrape();
    expect(e.samples('mlapi_http_requests_total')).toEqual([
      {
        name: 'mlapi_http_requests_total',
        labels: { method: 'GET', route: UNMATCHED_ROUTE, status: '404' },
        value: 50,
      },
    ]);
  });
});
