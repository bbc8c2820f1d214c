import { DashboardPageController } from './dashboard-page.controller';

/** The dashboard's page, mounted by the HTTP role (the live stream's controllers are beside it in ../dashboard). */
export const DASHBOARD_PAGE_CONTROLLERS = [DashboardPageController];
