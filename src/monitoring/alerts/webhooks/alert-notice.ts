import type { AlertKind, Severity } from '../alert-kinds';
import type { AlertEntity } from '../alert.entity';

/** What a webhook is told about one transition of an alert: the alert as it was then. */
export interface AlertNotice {
  event: 'firing' | 'resolved';
  alert: {
    id: string;
    rule: { id: string | null; name: string; kind: AlertKind };
    severity: Severity;
    model: string | null;
    subject: string;
    value: number | null;
    threshold: number | null;
    evidence: Record<string, unknown>;
    pendingSince: string;
    firedAt: string | null;
    resolvedAt: string | null;
    retrainJobId: string | null;
  };
}

export function noticeOf(alert: AlertEntity, event: AlertNotice['event']): AlertNotice {
  return {
    event,
    alert: {
      id: alert.id,
      rule: { id: alert.ruleId, name: alert.ruleName, kind: alert.kind },
      severity: alert.severity,
      model: alert.model,
      subject: alert.subject,
      value: alert.value,
      threshold: alert.threshold,
      evidence: alert.evidence,
      pendingSince: alert.pendingSince.toISOString(),
      firedAt: alert.firedAt?.toISOString() ?? null,
      resolvedAt: alert.resolvedAt?.toISOString() ?? null,
      retrainJobId: alert.retrainJobId,
    },
  };
}
