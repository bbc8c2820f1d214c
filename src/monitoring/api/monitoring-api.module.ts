import { Module } from '@nestjs/common';
import { RegistryModule } from '../../registry';
import { WindowsModule } from '../windows/windows.module';
import { MonitoringApi } from './monitoring-api.service';
import { ReplicaCounts } from '../alerts/counts/replica-counts';
import { MonitoringGauges } from './monitoring-gauges';
import { TrafficSeries } from './traffic-series';

/**
 * The monitoring results' HTTP side: the reads (the traffic series too) and on-demand windows (MONITORING_API_CONTROLLERS,
 * mounted by the HTTP role) and the drift and estimated-quality gauges of the process serving /metrics.
 */
@Module({
  imports: [WindowsModule, RegistryModule],
  providers: [MonitoringApi, MonitoringGauges, ReplicaCounts, TrafficSeries],
  exports: [MonitoringApi, MonitoringGauges, TrafficSeries, WindowsModule],
})
export class MonitoringApiModule {}
