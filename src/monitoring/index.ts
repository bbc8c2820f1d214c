// Public entry of the monitoring module: what other modules and the app's roles may use.
export { MetricsModule } from './metrics/metrics.module';
export { MetricsController } from './metrics/metrics.controller';
export { BucketsModule } from './buckets/buckets.module';
export { BucketRecorder, type BucketStats } from './buckets/bucket-recorder.service';
export { MonitoringBuckets, type BucketWindow, type SummedBuckets } from './buckets/monitoring-buckets.service';
export type {
  BucketAggregate,
  CategoryAggregate,
  NumericAggregate,
  PredictionAggregate,
  ClassProbabilities,
} from './buckets/bucket-aggregate';
export { bucketDrift, type BucketDriftReport, type ColumnReport } from './buckets/bucket-drift';
