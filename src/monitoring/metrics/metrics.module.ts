import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { MetricsService } from './metrics.service';

/**
 * Global: every module may register metrics. The Registry is provided under prom-client's own
 * class as token, so a module (inference, training…) depends on prom-client, not on monitoring.
 * The HTTP role mounts MetricsController.
 */
@Global()
@Module({
  providers: [
    MetricsService,
    { provide: Registry, useFactory: (m: MetricsService) => m.registry, inject: [MetricsService] },
  ],
  exports: [MetricsService, Registry],
})
export class MetricsModule {}
