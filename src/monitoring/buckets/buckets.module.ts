import { Module } from '@nestjs/common';
import { BucketRecorder } from './bucket-recorder.service';
import { MonitoringBuckets } from './monitoring-buckets.service';

/**
 * The per-minute aggregates of every prediction (docs/architecture.md, "Monitoring buckets"): the
 * recorder, which the HTTP role plugs into inference as its PredictionObserver, and the reader.
 * Needs only the database, so a worker role can read buckets without inference.
 */
@Module({
  providers: [BucketRecorder, MonitoringBuckets],
  exports: [BucketRecorder, MonitoringBuckets],
})
export class BucketsModule {}
