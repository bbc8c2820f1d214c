import { MonitoringController } from './monitoring.controller';

/** The monitoring results' routes, mounted by the HTTP role. */
export const MONITORING_API_CONTROLLERS = [MonitoringController];
