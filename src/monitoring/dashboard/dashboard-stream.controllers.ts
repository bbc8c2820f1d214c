import { DashboardStreamController } from './dashboard-stream.controller';

/** The live stream's routes, mounted by the HTTP role. */
export const DASHBOARD_STREAM_CONTROLLERS = [DashboardStreamController];
