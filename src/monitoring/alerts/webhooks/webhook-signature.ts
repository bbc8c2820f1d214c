import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-mlapi-signature';
export const TIMESTAMP_HEADER = 'x-mlapi-timestamp';

/**
 * The signature of one delivery: `sha256=` and the hex HMAC-SHA256, under the target's secret, of
 * `<timestamp>.<body>` (Stripe's and Slack's scheme). The timestamp (Unix seconds) is signed too,
 * so a receiver that refuses old timestamps refuses a replayed delivery (README, "Alerts").
 */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
