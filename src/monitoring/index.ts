// Public entry of the monitoring module: what other modules and the app's roles may use.
export { MetricsModule } from './metrics/metrics.module';
export { MetricsController } from './metrics/metrics.controller';
export { registerHttpMetrics, UNMATCHED_ROUTE } from './metrics/http-metrics';
export { QueueMetrics } from './metrics/queue-metrics';
export { WorkerMetricsServer } from './metrics/worker-metrics-server';
