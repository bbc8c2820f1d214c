import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { HotHistogram, type HistogramSeries } from '../../common/hot-histogram';

/** The route label of a request no route matched (404s, scans): one series, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/** From a health probe (~0.1 ms) to an import or a long predict batch. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * `mlapi_http_requests_total` and `mlapi_http_request_duration_seconds` by method, route template
 * (Fastify's `/models/:name/predict`, never the raw URL) and status, recorded on Fastify's
 * onResponse hook with the time Fastify already measured (one HotHistogram holds both families:
 * a request costs three Map lookups and a few additions). Every label is bounded: the routes are the
 * app's own (a request no route matched is `route="unmatched"`), Node's parser accepts only known
 * methods, statuses are three digits.
 */
export function registerHttpMetrics(fastify: FastifyInstance, registry: Registry): void {
  const duration = new HotHistogram({
    name: 'mlapi_http_request_duration_seconds',
    help: 'HTTP request time from its arrival to the end of the answer, by method, route template and status',
    buckets: DURATION_BUCKETS,
    registers: [registry],
    counter: {
      name: 'mlapi_http_requests_total',
      help: `HTTP requests answered, by method, route template (${UNMATCHED_ROUTE}: no route matched) and status`,
    },
  });
  // method → route → status → series: lookups by the strings and number at hand, no key to build.
  const byMethod = new Map<string, Map<string, Map<number, HistogramSeries>>>();
  const seriesOf = (method: string, route: string, status: number): HistogramSeries => {
    let byRoute = byMethod.get(method);
    if (!byRoute) byMethod.set(method, (byRoute = new Map<string, Map<number, HistogramSeries>>()));
    let byStatus = byRoute.get(route);
    if (!byStatus) byRoute.set(route, (byStatus = new Map<number, HistogramSeries>()));
    let series = byStatus.get(status);
    if (!series) {
      const labels = { method, route, status: String(status) };
      byStatus.set(status, (series = duration.series(`${method} ${status} ${route}`, () => labels)));
    }
    return series;
  };
  fastify.addHook('onResponse', (request, reply, done) => {
    seriesOf(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode).observe(
      reply.elapsedTime / 1000,
    );
    done();
  });
}
