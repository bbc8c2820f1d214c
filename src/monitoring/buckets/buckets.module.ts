import { Module } from '@nestjs/common';
import { BucketRecorder } from './bucket-recorder.service';
import { BucketsReaderModule } from './buckets-reader.module';

/**
 * The per-minute aggregates of every prediction (docs/architecture.md, "Monitoring buckets"): the
 * recorder, which the HTTP role plugs into inference as its PredictionObserver, and the reader
 * (BucketsReaderModule, which a worker imports alone).
 */
@Module({
  imports: [BucketsReaderModule],
  providers: [BucketRecorder],
  exports: [BucketRecorder, BucketsReaderModule],
})
export class BucketsModule {}
