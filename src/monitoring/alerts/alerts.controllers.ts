import { AlertRulesController, AlertsController, AlertWebhooksController } from './alerts.controller';

/** The alert routes, mounted by the HTTP role. */
export const ALERTS_CONTROLLERS = [AlertRulesController, AlertWebhooksController, AlertsController];
