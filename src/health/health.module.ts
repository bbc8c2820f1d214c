import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { WorkerHeartbeats } from './worker-heartbeats';

/**
 * Health: what the probes read (TerminusModule, worker heartbeats). The HTTP role mounts
 * HealthController; the worker role adds WorkerHeartbeat, which beats.
 */
@Module({
  imports: [TerminusModule],
  providers: [WorkerHeartbeats],
  exports: [TerminusModule, WorkerHeartbeats],
})
export class HealthModule {}
