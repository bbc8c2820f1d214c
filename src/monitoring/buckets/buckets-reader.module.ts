import { Module } from '@nestjs/common';
import { MonitoringBuckets } from './monitoring-buckets.service';

/**
 * The buckets' read side alone: a worker role reads windows without the recorder, whose timers
 * (flush, retention) belong to serving replicas.
 */
@Module({
  providers: [MonitoringBuckets],
  exports: [MonitoringBuckets],
})
export class BucketsReaderModule {}
