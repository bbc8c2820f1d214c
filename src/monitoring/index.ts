// Public entry of the monitoring module: what other modules and the app's roles may use.
export { MetricsModule } from './metrics/metrics.module';
export { MetricsController } from './metrics/metrics.controller';
export { BucketsModule } from './buckets/buckets.module';
export { BucketsReaderModule } from './buckets/buckets-reader.module';
export { BucketRecorder, type BucketStats } from './buckets/bucket-recorder.service';
export { MonitoringBuckets, type BucketWindow, type SummedBuckets } from './buckets/monitoring-buckets.service';
export { BucketRollups, type RollupSummary } from './buckets/bucket-rollups.service';
export type {
  BucketAggregate,
  CategoryAggregate,
  NumericAggregate,
  PredictionAggregate,
  ClassProbabilities,
} from './buckets/bucket-aggregate';
export { bucketDrift, type BucketDriftReport, type ColumnReport } from './buckets/bucket-drift';
export { WindowsModule } from './windows/windows.module';
export { MonitoringWindowsProcessor } from './windows/monitoring-windows.processor';
export { WindowJob, type WindowJobSummary } from './windows/window-job.service';
export { WindowComputer, type WindowRequest, type VersionWindow } from './windows/window-computer.service';
export { PREDICTION_COLUMN, BASELINE_PREFIX } from './windows/window-results';
export { MonitoringApiModule } from './api/monitoring-api.module';
export { MONITORING_API_CONTROLLERS } from './api/monitoring-api.controllers';
export { DASHBOARD_PAGE_CONTROLLERS } from './dashboard-page/dashboard-page.controllers';
export { AlertsModule } from './alerts/alerts.module';
export { ALERTS_CONTROLLERS } from './alerts/alerts.controllers';
export { AlertEvaluationProcessor } from './alerts/evaluation/alert-evaluation.processor';
export { AlertWebhooksProcessor } from './alerts/webhooks/alert-webhooks.processor';
export { ReplicaCountsRecorder } from './alerts/counts/replica-counts.recorder';
export { AlertEvaluator, type EvaluationSummary } from './alerts/alert-evaluator.service';
export { AlertChanged, type AlertTransition } from './alerts/alert.event';
export { QualityModule } from './quality/quality.module';
export { QUALITY_CONTROLLERS } from './quality/quality.controllers';
export { MonitoringQualityProcessor } from './quality/monitoring-quality.processor';
export { RealisedQualityJob, type RealisedRunSummary } from './quality/realised-quality.job';
export {
  DATASET_COLUMN,
  DRIFT_STATISTIC,
  DRIFT_VERDICTS,
  MonitoringResults,
  type MonitoringResult,
  type ResultQuery,
} from './results/monitoring-results';
export { signature as webhookSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './alerts/webhooks/webhook-signature';
export { DashboardStreamModule } from './dashboard/dashboard-stream.module';
export { DASHBOARD_STREAM_CONTROLLERS } from './dashboard/dashboard-stream.controllers';
export { DashboardStream } from './dashboard/dashboard-stream.service';
export { TrafficTicker } from './dashboard/traffic-ticker';
export { TrafficTick, type TrafficTickEvent } from './dashboard/traffic-tick.event';
export { ResultsWritten, type ResultsWrittenEvent } from './results/results-written.event';
export { MONITORING_ERROR_STATUS, MonitoringError, MonitoringErrorCode } from './monitoring.errors';
export { registerHttpMetrics, UNMATCHED_ROUTE } from './metrics/http-metrics';
export { QueueMetrics } from './metrics/queue-metrics';
export { AlertMetrics } from './metrics/alert-metrics';
export { WorkerMetricsServer } from './metrics/worker-metrics-server';
