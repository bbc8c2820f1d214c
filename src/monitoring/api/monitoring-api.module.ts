import { Module } from '@nestjs/common';
import { RegistryModule } from '../../registry';
import { WindowsModule } from '../windows/windows.module';
import { MonitoringApi } from './monitoring-api.service';
import { MonitoringGauges } from './monitoring-gauges';

/**
 * The monitoring results' HTTP side: the reads and on-demand windows (MONITORING_API_CONTROLLERS,
 * mounted by the HTTP role) and the drift and estimated-quality gauges of the process serving /metrics.
 */
@Module({
  imports: [WindowsModule, RegistryModule],
  providers: [MonitoringApi, MonitoringGauges],
  exports: [MonitoringApi, MonitoringGauges, WindowsModule],
})
export class MonitoringApiModule {}
