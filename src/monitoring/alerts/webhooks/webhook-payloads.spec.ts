import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertNotice } from './alert-notice';
import { headline, jsonPayload, payloadFor, slackPayload, teamsPayload } from './webhook-payloads';
import { signature } from './webhook-signature';

const notice = (event: AlertNotice['event'] = 'firing'): AlertNotice => ({
  event,
  alert: {
    id: '5f0c2a4e-1111-4222-8333-944455556666',
    rule: { id: 'r1', name: 'error-rate', kind: 'error_rate' },
    severity: 'critical',
    model: 'credit',
    subject: 'credit',
    value: 0.125,
    threshold: 0.05,
    evidence: { measured: 'share of records the model failed on', comparator: '>', window: { from: 'a', to: 'b' } },
    pendingSince: '2025-01-01T00:00:00.000Z',
    firedAt: '2025-01-01T00:05:00.000Z',
    resolvedAt: event === 'resolved' ? '2025-01-01T01:00:00.000Z' : null,
    retrainJobId: null,
  },
});

describe('webhook payloads', () => {
  it('says what fired, where and by how much in one line', () => {
    expect(headline(notice())).toBe('FIRING [critical] error-rate on credit: 0.125 > 0.05');
    expect(headline(notice('resolved'))).toMatch(/^RESOLVED \[critical\] error-rate on credit/);
  });

  it('json: our typed, versioned envelope around the alert', () => {
    const body = jsonPayload(notice(), new Date('2025-01-01T00:05:01Z'));
    expect(body).toEqual({
      type: 'mlapi.alert',
      version: 1,
      event: 'firing',
      sentAt: '2025-01-01T00:05:01.000Z',
      alert: notice().alert,
    });
  });

  it('slack: an incoming-webhook message, `text` for the notification and blocks within Slack limits', () => {
    const body = slackPayload(notice());
    expect(body.text).toBe(headline(notice()));
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    const [header, section] = body.blocks as any[];
    expect(header.text).toEqual({ type: 'plain_text', text: headline(notice()) });
    expect(section.fields.length).toBeLessThanOrEqual(10);
    for (const f of section.fields) expect(f).toEqual({ type: 'mrkdwn', text: expect.stringMatching(/^\*[^*]+\*\n/) });
    expect(section.fields.map((f: any) => f.text.split('\n')[0])).toContain('*Severity*');
  });

  it('teams: a Workflows message with one Adaptive Card attachment (not the retired MessageCard)', () => {
    const body = teamsPayload(notice('resolved'));
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    const [attachment] = body.attachments;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content).toMatchObject({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
    });
    const [title, facts] = attachment.content.body as any[];
    expect(title).toMatchObject({ type: 'TextBlock', text: headline(notice('resolved')), wrap: true, color: 'Good' });
    expect(facts.type).toBe('FactSet');
    for (const f of facts.facts) expect(Object.keys(f).sort()).toEqual(['title', 'value']);
    expect(facts.facts).toContainEqual({ title: 'Resolved at', value: '2025-01-01T01:00:00.000Z' });
    expect(JSON.stringify(body)).not.toContain('MessageCard');
  });

  it('serialises each format as JSON text', () => {
    for (const format of ['json', 'slack', 'teams'] as const)
      expect(() => JSON.parse(payloadFor(format, notice(), new Date()))).not.toThrow();
  });
});

describe('the webhook signature', () => {
  it('is what a receiver computes with node:crypto from the timestamp header and the raw body', () => {
    const secret = 'a-receiver-shared-secret';
    const body = payloadFor('json', notice(), new Date());
    const timestamp = 1_735_689_600;
    const header = signature(secret, timestamp, body);
    // The receiver's side, as the README shows it.
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
    expect(timingSafeEqual(Buffer.from(header), expected)).toBe(true);
  });

  it('changes with the body, the timestamp and the secret', () => {
    const base = signature('s'.repeat(16), 1, 'body');
    expect(signature('s'.repeat(16), 1, 'body ')).not.toBe(base);
    expect(signature('s'.repeat(16), 2, 'body')).not.toBe(base);
    expect(signature('t'.repeat(16), 1, 'body')).not.toBe(base);
  });
});
