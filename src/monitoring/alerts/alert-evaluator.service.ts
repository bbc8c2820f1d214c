import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { In, type DataSource, type Repository } from 'typeorm';
import { EventBus } from '../../events';
import { RetrainScheduler } from '../../training';
import { withAdvisoryLock } from '../../database/advisory-lock';
import { RETRAIN_KINDS } from './alert-kinds';
import type { AlertRuleEntity } from './alert-rule.entity';
import { step, type Step } from './alert-state';
import { AlertEntity } from './alert.entity';
import { AlertChanged } from './alert.event';
import { AlertRulesService } from './alert-rules.service';
import { AlertSignals } from './signals/alert-signals';
import type { SignalReading } from './signals/alert-signal';
import { noticeOf } from './webhooks/alert-notice';
import { AlertWebhooksProducer } from './webhooks/alert-webhooks.producer';

/** The advisory lock that makes one evaluation at a time across workers (any fixed int8). */
const EVALUATION_LOCK = 2_000_020_001;

export interface EvaluationSummary {
  rules: number;
  fired: string[];
  resolved: string[];
}

/**
 * One evaluation of every enabled rule at `now`: each rule's signal read, the state machine
 * (alert-state.ts) stepped per subject, each change stored, each firing and resolution published
 * (AlertChanged) and queued for the webhooks; a firing drift or quality rule with `retrain`
 * starts its model's retraining. Under a PostgreSQL advisory lock, so workers take turns and
 * the "one alert-started retraining per model" check cannot race. The alert row is the outbox of
 * its notices: a notice not yet queued (Redis down, a crash) is queued at a later evaluation.
 */
@Injectable()
export class AlertEvaluator {
  private readonly logger = new Logger(AlertEvaluator.name);

  constructor(
    @InjectRepository(AlertEntity) private readonly alerts: Repository<AlertEntity>,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly rules: AlertRulesService,
    private readonly signals: AlertSignals,
    private readonly events: EventBus,
    private readonly webhooks: AlertWebhooksProducer,
    private readonly retrains: RetrainScheduler,
  ) {}

  /** Null when another worker is evaluating. */
  async evaluate(now = new Date()): Promise<EvaluationSummary | null> {
    return withAdvisoryLock(this.ds, EVALUATION_LOCK, () => this.evaluateLocked(now));
  }

  private async evaluateLocked(now: Date): Promise<EvaluationSummary> {
    const summary: EvaluationSummary = { rules: 0, fired: [], resolved: [] };
    const rules = await this.rules.enabled();
    const open = await this.alerts.findBy({ state: In(['pending', 'firing']) });
    const openByKey = new Map(open.map((a) => [`${a.ruleId}|${a.subject}`, a]));
    const ruleIds = new Set(rules.map((r) => r.id));
    for (const rule of rules) {
      let readings: SignalReading[];
      try {
        readings = await this.signals.read(rule, now);
      } catch (err) {
        // Its open alerts stay as they are: an unreadable signal is not a recovered one.
        this.logger.warn(
          { rule: rule.name, err: (err as Error).message },
          'alert rule not evaluated: its signal could not be read',
        );
        continue;
      }
      summary.rules++;
      const seen = new Set<string>();
      for (const reading of readings) {
        seen.add(reading.subject);
        const key = `${rule.id}|${reading.subject}`;
        const current = openByKey.get(key) ?? null;
        const episode = current && { state: current.state as 'pending' | 'firing', pendingSince: current.pendingSince };
        await this.apply(rule, current, reading, step(episode, reading.breached, rule.forSeconds, now), now, summary);
      }
      for (const alert of open.filter((a) => a.ruleId === rule.id && !seen.has(a.subject)))
        await this.end(
          alert,
          { measured: 'nothing', reason: 'no reading of this subject in the window' },
          now,
          summary,
        );
    }
    for (const alert of open.filter((a) => !a.ruleId || !ruleIds.has(a.ruleId)))
      await this.end(alert, { reason: 'its rule was disabled or deleted' }, now, summary);
    await this.queueNotices();
    return summary;
  }

  private async apply(
    rule: AlertRuleEntity,
    current: AlertEntity | null,
    reading: SignalReading,
    next: Step,
    now: Date,
    summary: EvaluationSummary,
  ): Promise<void> {
    const measured = { value: reading.value, threshold: reading.threshold };
    switch (next.kind) {
      case 'none':
        return;
      case 'open': {
        const alert = await this.alerts.save(
          this.alerts.create({
            ruleId: rule.id,
            ruleName: rule.name,
            kind: rule.kind,
            severity: rule.severity,
            model: reading.model,
            subject: reading.subject,
            state: next.state,
            ...measured,
            evidence: reading.evidence,
            pendingSince: now,
            firedAt: next.state === 'firing' ? now : null,
          }),
        );
        if (next.state === 'firing') await this.fired(rule, alert, summary);
        return;
      }
      case 'stay':
      case 'fire': {
        const alert = current as AlertEntity;
        Object.assign(alert, measured, { evidence: { ...reading.evidence, ...retrainOf(alert) } });
        if (next.kind === 'fire') Object.assign(alert, { state: 'firing', firedAt: now });
        await this.alerts.save(alert);
        if (next.kind === 'fire') await this.fired(rule, alert, summary);
        return;
      }
      case 'clear':
      case 'resolve':
        return this.end(current as AlertEntity, reading.evidence, now, summary);
    }
  }

  /** A pending episode that stops holding goes; a firing one resolves, keeping what it fired with. */
  private async end(
    alert: AlertEntity,
    evidence: Record<string, unknown>,
    now: Date,
    summary: EvaluationSummary,
  ): Promise<void> {
    if (alert.state === 'pending') {
      await this.alerts.delete({ id: alert.id });
      return;
    }
    Object.assign(alert, {
      state: 'resolved',
      resolvedAt: now,
      evidence: { ...alert.evidence, resolvedWith: evidence },
    });
    await this.alerts.save(alert);
    summary.resolved.push(alert.id);
    await this.publish(alert, 'resolved');
  }

  private async fired(rule: AlertRuleEntity, alert: AlertEntity, summary: EvaluationSummary): Promise<void> {
    summary.fired.push(alert.id);
    if (rule.retrain && RETRAIN_KINDS.includes(rule.kind) && alert.model) {
      const retrain = await this.retrains.retrainForAlert(alert.model, alert.id).then(
        (r) => (r ? { jobId: r.jobId, started: r.started } : { skipped: 'the model has no production version' }),
        (err: Error) => ({ error: err.message }),
      );
      Object.assign(alert, {
        evidence: { ...alert.evidence, retrain },
        retrainJobId: 'jobId' in retrain ? retrain.jobId : null,
      });
      await this.alerts.save(alert);
    }
    await this.publish(alert, 'firing');
  }

  private async publish(alert: AlertEntity, state: 'firing' | 'resolved'): Promise<void> {
    const at = (state === 'firing' ? alert.firedAt : alert.resolvedAt) ?? new Date();
    await this.events
      .publish(AlertChanged, {
        alertId: alert.id,
        ruleId: alert.ruleId,
        ruleName: alert.ruleName,
        kind: alert.kind,
        severity: alert.severity,
        model: alert.model,
        subject: alert.subject,
        state,
        value: alert.value,
        threshold: alert.threshold,
        at: at.toISOString(),
      })
      .catch((err: Error) =>
        this.logger.warn({ alertId: alert.id, err: err.message }, 'alert event not sent to the other replicas'),
      );
  }

  /** Queues every firing and resolution not yet queued, firing first; a failure waits for the next evaluation. */
  private async queueNotices(): Promise<void> {
    const due = await this.alerts.find({
      where: [
        { state: In(['firing', 'resolved']), notifiedFiring: false },
        { state: 'resolved', notifiedResolved: false },
      ],
      order: { updatedAt: 'ASC' },
    });
    for (const alert of due) {
      try {
        if (!alert.notifiedFiring) {
          await this.webhooks.deliver(noticeOf(alert, 'firing'));
          await this.alerts.update(alert.id, { notifiedFiring: true });
        }
        if (alert.state === 'resolved' && !alert.notifiedResolved) {
          await this.webhooks.deliver(noticeOf(alert, 'resolved'));
          await this.alerts.update(alert.id, { notifiedResolved: true });
        }
      } catch (err) {
        this.logger.warn(
          { alertId: alert.id, err: (err as Error).message },
          'alert webhooks not queued; retried at the next evaluation',
        );
        return;
      }
    }
  }
}

const retrainOf = (alert: AlertEntity) => (alert.evidence.retrain ? { retrain: alert.evidence.retrain } : {});
