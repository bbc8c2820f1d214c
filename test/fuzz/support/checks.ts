import type { Answer } from './fuzz-app';

/** The /health/live probes beside a case must answer within this (issue #17: the process stays responsive). */
export const PROBE_LIMIT_MS = 1_000;
/** An error body larger than this echoes what it was sent (issue #17 found 5.4 MB ones). */
export const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

const CODE = /^[a-z][a-z0-9_]*\.[a-z0-9_.]+$/;

/** Why an answer breaks the suite's properties, or undefined when it keeps them. */
export function answerViolation(a: Answer): string | undefined {
  if (a.status >= 500) return `answered ${a.status}`;
  if (a.probeMs >= PROBE_LIMIT_MS) return `/health/live waited ${Math.round(a.probeMs)} ms beside the case`;
  if (a.status < 400) return undefined;
  if (Buffer.byteLength(a.body) > ERROR_BODY_LIMIT_BYTES)
    return `error body of ${Buffer.byteLength(a.body)} bytes (over ${ERROR_BODY_LIMIT_BYTES})`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(a.body) as Record<string, unknown>;
  } catch {
    return 'error body is not JSON';
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'error body is not an object';
  if (body.statusCode !== a.status) return `error body's statusCode ${String(body.statusCode)} is not ${a.status}`;
  if (typeof body.error !== 'string') return "error body has no 'error'";
  if (typeof body.message !== 'string' || body.message === '') return "error body has no 'message'";
  if (!Array.isArray(body.details)) return "error body's 'details' is not an array";
  // `code` is absent for the framework's own refusals (malformed JSON, body too large): error-body.ts.
  if (body.code !== undefined && (typeof body.code !== 'string' || !CODE.test(body.code)))
    return `error body's code ${JSON.stringify(body.code)} is not <module>.<fact>`;
  if (typeof body.requestId !== 'string' || body.requestId === '') return "error body has no 'requestId'";
  if (a.headers['x-request-id'] !== body.requestId) return "x-request-id header differs from the body's requestId";
  return undefined;
}

/** Which tables a refused request changed (their counts or row hashes), or undefined. */
export function stateViolation(
  before: Record<string, string>,
  after: Record<string, string>,
  ignored: string[] = [],
): string | undefined {
  const changed = Object.keys(before).filter((k) => before[k] !== after[k] && !ignored.includes(k));
  if (!changed.length) return undefined;
  return `a refused request changed ${changed.map((k) => `${k} (${before[k]} -> ${after[k]})`).join(', ')}`;
}

/** The start of an answer's body, for a failure message. */
export function excerpt(text: string, max = 600): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
