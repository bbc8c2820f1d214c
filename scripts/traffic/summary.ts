/** What a run did, so far or in all (`runTraffic(…).summary()`, `stop()`). */
export interface TrafficSummary {
  model: string;
  version: number | null;
  alias: string | null;
  drift: boolean;
  /** The asked rate, requests a second. */
  rate: number;
  elapsedMs: number;
  /** Requests sent (answered or not yet). */
  sent: number;
  ok: number;
  /** Failed requests, by HTTP status or `network` / `timeout`. */
  errors: number;
  errorsBy: Record<string, number>;
  /** Due requests not sent because `maxInFlight` were unanswered: the server could not keep up. */
  skipped: number;
  /** Answers that reported an unseen category. */
  unknownCategories: number;
  /** Answered requests a second over the whole run. */
  achievedRate: number;
  latencyMs: { p50: number; p95: number } | null;
  feedback: { sent: number; failed: number; pending: number; dropped: number } | null;
  /** The first message of each kind of failure (predict and feedback), to say why. */
  problems: string[];
}

/** Counters of one run and the lines it prints. */
export class Tally {
  ok = 0;
  errors = 0;
  unknownCategories = 0;
  readonly errorsBy: Record<string, number> = {};
  readonly problems: string[] = [];
  private readonly problemKinds = new Set<string>();
  /** Latencies since the last report (the report's percentiles), and of the whole run, sampled. */
  private recent: number[] = [];

  answered(latencyMs: number, unknownCategories: boolean): void {
    this.ok++;
    if (unknownCategories) this.unknownCategories++;
    this.recent.push(latencyMs);
  }

  /** Counts a failed request; answers its message when it is the first of its kind. */
  failed(kind: string, message: string): string | null {
    this.errors++;
    this.errorsBy[kind] = (this.errorsBy[kind] ?? 0) + 1;
    return this.problem(`predict ${kind}`, message);
  }

  /** Keeps the first message of each kind; answers it when it is new (to print it once). */
  problem(kind: string, message: string): string | null {
    if (this.problemKinds.has(kind)) return null;
    this.problemKinds.add(kind);
    this.problems.push(message);
    return message;
  }

  /** p50 and p95 of the latencies since the last call, which starts a new period. */
  takeLatency(): { p50: number; p95: number } | null {
    const xs = this.recent.sort((a, b) => a - b);
    this.recent = [];
    if (xs.length === 0) return null;
    const q = (p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
    return { p50: q(0.5), p95: q(0.95) };
  }
}

const fixed = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** One summary line: `sent 250 ok 248 errors 2 (422: 2) … rate 49.6/s of 50/s`. */
export function summaryLine(s: TrafficSummary, periodRate?: number): string {
  const errors = Object.entries(s.errorsBy)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  const parts = [
    `sent ${s.sent}`,
    `ok ${s.ok}`,
    `errors ${s.errors}${errors ? ` (${errors})` : ''}`,
    ...(s.skipped ? [`skipped ${s.skipped} (server behind)`] : []),
    ...(s.drift ? [`unseen categories in ${s.unknownCategories}`] : []),
    s.feedback
      ? `feedback sent ${s.feedback.sent}${s.feedback.failed ? ` failed ${s.feedback.failed}` : ''} pending ${s.feedback.pending}${s.feedback.dropped ? ` dropped ${s.feedback.dropped}` : ''}`
      : 'feedback off',
    `rate ${fixed(periodRate ?? s.achievedRate)}/s of ${s.rate}/s`,
    ...(s.latencyMs ? [`latency p50 ${fixed(s.latencyMs.p50)} ms p95 ${fixed(s.latencyMs.p95)} ms`] : []),
  ];
  return parts.join('  ');
}
