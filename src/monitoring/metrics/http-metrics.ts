import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import { MetricChildren } from '../../common/metric-children';

/** The route label of a request no route matched (404s, scans): one series, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/** From a health probe (~0.1 ms) to an import or a long predict batch. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface RouteSeries {
  requests: { inc(): void };
  duration: { observe(v: number): void };
}

/**
 * `mlapi_http_requests_total` and `mlapi_http_request_duration_seconds` by method, route template
 * (Fastify's `/models/:name/predict`, never the raw URL) and status, recorded on Fastify's
 * onResponse hook with the time Fastify already measured. Every label is bounded: the routes
 * are the app's own (a request no route matched is `route="unmatched"`), Node's parser accepts
 * only known methods, statuses are three digits.
 */
export function registerHttpMetrics(fastify: FastifyInstance, registry: Registry): void {
  const registers = [registry];
  const requests = new Counter({
    name: 'mlapi_http_requests_total',
    help: `HTTP requests answered, by method, route template (${UNMATCHED_ROUTE}: no route matched) and status`,
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const duration = new Histogram({
    name: 'mlapi_http_request_duration_seconds',
    help: 'HTTP request time from its arrival to the end of the answer, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const series = new MetricChildren<RouteSeries>();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const { method } = request;
    const status = reply.statusCode;
    const s = series.get(`${method} ${status} ${route}`, () => {
      const labels = [method, route, String(status)];
      return { requests: requests.labels(...labels), duration: duration.labels(...labels) };
    });
    s.requests.inc();
    s.duration.observe(reply.elapsedTime / 1000);
    done();
  });
}
