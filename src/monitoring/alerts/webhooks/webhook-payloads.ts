import type { WebhookFormat } from '../alert-webhook.entity';
import type { AlertNotice } from './alert-notice';

/** Our own JSON (format `json`): the notice as is, typed and versioned. */
export function jsonPayload(notice: AlertNotice, sentAt: Date) {
  return { type: 'mlapi.alert', version: 1, event: notice.event, sentAt: sentAt.toISOString(), alert: notice.alert };
}

const fmt = (v: number | null) =>
  v === null ? 'n/a' : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));

/** A string field of the evidence, or `n/a`. */
const text = (v: unknown) => (typeof v === 'string' ? v : 'n/a');

/** One line for people: `FIRING [critical] error-rate on credit: 0.1200 > 0.05`. */
export function headline(notice: AlertNotice): string {
  const a = notice.alert;
  const comparator = typeof a.evidence.comparator === 'string' ? a.evidence.comparator : '';
  const figure =
    comparator === 'is'
      ? `verdict ${text((a.evidence.result as { verdict?: unknown } | undefined)?.verdict)}`
      : `${fmt(a.value)} ${comparator} ${fmt(a.threshold)}`;
  return `${notice.event === 'firing' ? 'FIRING' : 'RESOLVED'} [${a.severity}] ${a.rule.name} on ${a.subject}: ${figure}`;
}

/** The facts both chat formats show, in order. */
function facts(notice: AlertNotice): [string, string][] {
  const a = notice.alert;
  const window = a.evidence.window as { from?: string; to?: string } | undefined;
  return [
    ['Rule', `${a.rule.name} (${a.rule.kind})`],
    ['Severity', a.severity],
    ['Subject', a.subject],
    ['Measured', text(a.evidence.measured)],
    ['Value', fmt(a.value)],
    ['Threshold', fmt(a.threshold)],
    ['Window', window ? `${window.from} – ${window.to}` : 'n/a'],
    [
      notice.event === 'firing' ? 'Fired at' : 'Resolved at',
      (notice.event === 'firing' ? a.firedAt : a.resolvedAt) ?? 'n/a',
    ],
    ...(a.retrainJobId ? ([['Retraining job', a.retrainJobId]] as [string, string][]) : []),
  ];
}

/**
 * Slack incoming webhooks (https://api.slack.com/messaging/webhooks): `text` is the notification
 * and fallback, `blocks` the message (a header, the facts as section fields, the alert id).
 */
export function slackPayload(notice: AlertNotice) {
  const f = facts(notice);
  return {
    text: headline(notice),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: headline(notice).slice(0, 150) } },
      // Slack takes at most 10 fields per section.
      { type: 'section', fields: f.slice(0, 10).map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}` })) },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `alert ${notice.alert.id}` }] },
    ],
  };
}

/**
 * Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received", which
 * replaced the retired Office 365 connectors and takes Adaptive Cards only, not MessageCard): a
 * `message` whose one attachment is an Adaptive Card 1.4 with the headline and the facts.
 */
export function teamsPayload(notice: AlertNotice) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: headline(notice),
              weight: 'Bolder',
              size: 'Medium',
              wrap: true,
              color: notice.event === 'resolved' ? 'Good' : notice.alert.severity === 'info' ? 'Default' : 'Attention',
            },
            { type: 'FactSet', facts: facts(notice).map(([title, value]) => ({ title, value })) },
            { type: 'TextBlock', text: `alert ${notice.alert.id}`, isSubtle: true, size: 'Small', wrap: true },
          ],
        },
      },
    ],
  };
}

/** The request body for a target of `format`. */
export function payloadFor(format: WebhookFormat, notice: AlertNotice, sentAt: Date): string {
  switch (format) {
    case 'json':
      return JSON.stringify(jsonPayload(notice, sentAt));
    case 'slack':
      return JSON.stringify(slackPayload(notice));
    case 'teams':
      return JSON.stringify(teamsPayload(notice));
  }
}
