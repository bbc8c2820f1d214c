import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TrainingModule } from '../../training';
import { BucketsReaderModule } from '../buckets/buckets-reader.module';
import { MonitoringResults } from '../results/monitoring-results';
import { AlertEvaluator } from './alert-evaluator.service';
import { AlertRuleEntity } from './alert-rule.entity';
import { AlertRulesService } from './alert-rules.service';
import { AlertWebhookEntity } from './alert-webhook.entity';
import { AlertWebhooksService } from './alert-webhooks.service';
import { AlertEntity } from './alert.entity';
import { AlertsService } from './alerts.service';
import { ReplicaCounts } from './counts/replica-counts';
import { ALERT_EVALUATION_QUEUE } from './evaluation/alert-evaluation.jobs';
import { AlertEvaluationProducer } from './evaluation/alert-evaluation.producer';
import { AlertSignals } from './signals/alert-signals';
import { LatencySignal } from './signals/latency.signal';
import { ErrorRateSignal, LogDropsSignal } from './signals/replica-count.signals';
import { StoredResultsSignal } from './signals/stored-results.signal';
import { TrainingFailuresSignal } from './signals/training-failures.signal';
import { ALERT_WEBHOOKS_QUEUE } from './webhooks/alert-webhooks.jobs';
import { AlertWebhooksProducer } from './webhooks/alert-webhooks.producer';
import { WEBHOOK_SECRET_BOX } from './webhooks/webhook-sealing';
import { WebhookTargets } from './webhooks/webhook-targets';

const queues = BullModule.registerQueue({ name: ALERT_EVALUATION_QUEUE }, { name: ALERT_WEBHOOKS_QUEUE });

/**
 * Alerts (docs/architecture.md, "Alerts"): rules, alerts and webhook targets with their API
 * services, the signal providers, the evaluator and the producers, inert until a role starts
 * them. The worker role adds AlertEvaluationProcessor and AlertWebhooksProcessor; the HTTP role
 * adds the controllers and ReplicaCountsRecorder. The latency signal reads the buckets (their
 * read side only: no recorder), so alerts never read the prediction log.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AlertRuleEntity, AlertEntity, AlertWebhookEntity]),
    queues,
    TrainingModule,
    BucketsReaderModule,
  ],
  providers: [
    AlertRulesService,
    AlertsService,
    AlertWebhooksService,
    AlertEvaluator,
    AlertEvaluationProducer,
    AlertWebhooksProducer,
    WebhookTargets,
    WEBHOOK_SECRET_BOX,
    MonitoringResults,
    ReplicaCounts,
    AlertSignals,
    TrainingFailuresSignal,
    LogDropsSignal,
    ErrorRateSignal,
    LatencySignal,
    StoredResultsSignal,
  ],
  exports: [
    AlertRulesService,
    AlertsService,
    AlertWebhooksService,
    AlertEvaluator,
    AlertEvaluationProducer,
    WebhookTargets,
    MonitoringResults,
    ReplicaCounts,
    queues,
  ],
})
export class AlertsModule {}
