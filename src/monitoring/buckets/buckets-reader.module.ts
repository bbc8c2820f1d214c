import { Module } from '@nestjs/common';
import { BucketRollups } from './bucket-rollups.service';
import { MonitoringBuckets } from './monitoring-buckets.service';

/**
 * The buckets' read side alone: a worker role reads windows without the recorder, whose timers
 * (flush, retention) belong to serving replicas; and the hourly roll-ups, which the window job makes.
 */
@Module({
  providers: [MonitoringBuckets, BucketRollups],
  exports: [MonitoringBuckets, BucketRollups],
})
export class BucketsReaderModule {}
