import { AlertRuleEntity } from './alerts/alert-rule.entity';
import { AlertEntity } from './alerts/alert.entity';
import { AlertWebhookEntity } from './alerts/alert-webhook.entity';

/** Monitoring's TypeORM entities (read only by src/database/entities.ts). */
export const MONITORING_ENTITIES = [AlertRuleEntity, AlertEntity, AlertWebhookEntity];
