import { join, resolve } from 'node:path';
import { describeAnswer, NoAnswer, TrafficClient } from './client';
import { DEFAULT_DRIFT, drifter, type DriftSpec } from './drift';
import { FeedbackQueue, type FeedbackItem } from './feedback';
import { Pacer } from './pacer';
import { dataFileFor, loadRows, rowCycle, type Features } from './rows';
import { signatureOf, type ServedSignature } from './signature';
import { summaryLine, Tally, type TrafficSummary } from './summary';

export interface TrafficOptions {
  /** The API, e.g. http://localhost:3000. */
  url: string;
  /** An API token (or JWT) that may predict and give feedback. */
  token: string;
  model: string;
  /** Requests a second (one record each). */
  rate: number;
  alias?: string;
  version?: number;
  /** Shift the features and add unseen categories (DEFAULT_DRIFT, or parts of it). */
  drift?: boolean | Partial<DriftSpec>;
  /** Delay of each true label after its answer (default 30 s); null sends none. */
  feedbackDelayMs?: number | null;
  /** Stop by itself after this long (the last labels are still sent); default: until stop(). */
  durationMs?: number | null;
  /** Unanswered requests at most; a request due beyond them is skipped (default 64). */
  maxInFlight?: number;
  /** A summary line every so often (default 5 s) and at the end, to `onReport`. */
  reportEveryMs?: number;
  onReport?: (line: string) => void;
  /** The CSV file to replay (default: the shipped file under `dataDir` with the model's columns). */
  data?: string;
  /** Default: the repository's data/. */
  dataDir?: string;
  /** Row order and drift draws (default 1). */
  seed?: number;
  /** How often due labels are sent (default 1 s). */
  feedbackEveryMs?: number;
  requestTimeoutMs?: number;
}

/** What the run replays, known once `ready` resolves. */
export interface TrafficStart {
  signature: ServedSignature;
  file: string;
  rows: number;
  /** Rows of the file left out (no label, or a value the signature refuses). */
  skippedRows: number;
}

export interface TrafficRun {
  /** Resolves once the schema is read and the rows loaded (traffic is then flowing); rejects saying why not. */
  ready: Promise<TrafficStart>;
  /** Resolves with the final summary when the run ends (its duration, or stop()). */
  done: Promise<TrafficSummary>;
  /** The counts so far. */
  summary(): TrafficSummary;
  /**
   * Stops sending predictions, waits for those in flight, sends the labels already due and drops
   * the rest (`drainFeedback`: waits for them all first); the final summary.
   */
  stop(opts?: { drainFeedback?: boolean }): Promise<TrafficSummary>;
}

/** A start failure (no such model, a refused token, no data file): the message says what to do. */
export class TrafficStartError extends Error {}

// scripts/traffic/ under ts-node, dist/scripts/traffic/ compiled.
const ROOT = resolve(__dirname, __filename.endsWith('.ts') ? '../..' : '../../..');

function refQuery(o: TrafficOptions): string {
  if (o.version !== undefined) return `?version=${o.version}`;
  return o.alias ? `?alias=${encodeURIComponent(o.alias)}` : '';
}

async function readSignature(client: TrafficClient, o: TrafficOptions): Promise<ServedSignature> {
  const path = `/models/${encodeURIComponent(o.model)}/schema${refQuery(o)}`;
  let answer;
  try {
    answer = await client.call('GET', path);
  } catch (err) {
    throw new TrafficStartError(`cannot reach the API: ${(err as Error).message}`);
  }
  if (answer.status === 200) return signatureOf(answer.body);
  const why = describeAnswer(answer);
  if (answer.status === 401) throw new TrafficStartError(`the API refuses the token (${why})`);
  if (answer.status === 403)
    throw new TrafficStartError(
      `the token may not predict (${why}): use an API token with scopes predict and feedback, or a consumer's JWT`,
    );
  throw new TrafficStartError(`cannot read the schema of ${o.model}: ${why}`);
}

/** Replays the model's data as predictions and their labels as feedback (README, "Traffic generator"). */
export function runTraffic(o: TrafficOptions): TrafficRun {
  const client = new TrafficClient(o.url.replace(/\/+$/, ''), o.token, o.requestTimeoutMs);
  const report = o.onReport ?? (() => undefined);
  const tally = new Tally();
  const maxInFlight = o.maxInFlight ?? 64;
  const delay = o.feedbackDelayMs === undefined ? 30_000 : o.feedbackDelayMs;
  let signature: ServedSignature | null = null;
  let latency: TrafficSummary['latencyMs'] = null;
  let startedAt = Date.now();
  let endedAt: number | null = null;
  let stopping: Promise<TrafficSummary> | null = null;
  let reportTimer: NodeJS.Timeout | undefined;
  let durationTimer: NodeJS.Timeout | undefined;
  let finish: (s: TrafficSummary) => void = () => undefined;
  const done = new Promise<TrafficSummary>((r) => (finish = r));

  const feedback =
    delay === null
      ? null
      : new FeedbackQueue({
          delayMs: delay,
          everyMs: o.feedbackEveryMs ?? 1000,
          send: async (items: FeedbackItem[]) => {
            try {
              const answer = await client.call('POST', '/predictions/feedback', { items });
              if (answer.status === 200) return true;
              const hint = answer.status === 403 ? ' (the token needs the feedback scope, or a consumer user)' : '';
              const line = tally.problem(
                `feedback ${answer.status}`,
                `feedback refused: ${describeAnswer(answer)}${hint}`,
              );
              if (line) report(line);
            } catch (err) {
              const line = tally.problem(
                `feedback ${err instanceof NoAnswer ? err.kind : 'network'}`,
                `feedback: ${(err as Error).message}`,
              );
              if (line) report(line);
            }
            return false;
          },
        });

  let next: () => { features: Features; label: string | number } = () => {
    throw new Error('not started');
  };
  let predictPath = '';
  const pacer = new Pacer({
    rate: o.rate,
    maxInFlight,
    send: async () => {
      const row = next();
      const began = performance.now();
      try {
        const answer = await client.call('POST', predictPath, { features: row.features });
        const prediction = answer.status === 200 ? answer.body?.predictions?.[0] : undefined;
        if (prediction) {
          tally.answered(performance.now() - began, prediction.unknownCategories?.length > 0);
          feedback?.add({ predictionId: prediction.predictionId, label: row.label });
        } else {
          const line = tally.failed(String(answer.status), `predict refused: ${describeAnswer(answer)}`);
          if (line) report(line);
        }
      } catch (err) {
        const line = tally.failed(err instanceof NoAnswer ? err.kind : 'network', `predict: ${(err as Error).message}`);
        if (line) report(line);
      }
    },
  });

  const summary = (): TrafficSummary => {
    const elapsedMs = (endedAt ?? Date.now()) - startedAt;
    return {
      model: o.model,
      version: signature?.version ?? null,
      alias: signature?.alias ?? null,
      drift: Boolean(o.drift),
      rate: o.rate,
      elapsedMs,
      sent: pacer.sent,
      ok: tally.ok,
      errors: tally.errors,
      errorsBy: { ...tally.errorsBy },
      skipped: pacer.skipped,
      unknownCategories: tally.unknownCategories,
      achievedRate: elapsedMs > 0 ? (tally.ok * 1000) / elapsedMs : 0,
      latencyMs: latency,
      feedback: feedback && {
        sent: feedback.sent,
        failed: feedback.failed,
        pending: feedback.pending,
        dropped: feedback.dropped,
      },
      problems: [...tally.problems],
    };
  };

  let last = { at: 0, ok: 0, skipped: 0 };
  const periodic = () => {
    const now = Date.now();
    latency = tally.takeLatency();
    const s = summary();
    const seconds = (now - last.at) / 1000;
    if (s.skipped > last.skipped)
      report(
        `the server is not keeping up with ${o.rate}/s: ${s.skipped - last.skipped} requests skipped in the last ${seconds.toFixed(0)} s with ${maxInFlight} unanswered (--max-in-flight)`,
      );
    report(summaryLine(s, seconds > 0 ? (s.ok - last.ok) / seconds : 0));
    last = { at: now, ok: s.ok, skipped: s.skipped };
  };

  const ready = (async (): Promise<TrafficStart> => {
    signature = await readSignature(client, o);
    const file = dataFileFor(o.dataDir ?? join(ROOT, 'data'), signature, o.data);
    const set = loadRows(file, signature);
    const cycle = rowCycle(set.rows, o.seed ?? 1);
    const spec = o.drift ? { ...DEFAULT_DRIFT, ...(o.drift === true ? {} : o.drift) } : null;
    const shift = spec && drifter(signature.features, set.stats, spec, o.seed ?? 1);
    next = () => {
      const row = cycle();
      return shift ? { features: shift(row.features), label: row.label } : row;
    };
    // The same version for the whole run: the schema's (an alias moving meanwhile shows as refusals).
    predictPath = `/models/${encodeURIComponent(o.model)}/predict${refQuery(o)}`;
    if (stopping) return { signature, file, rows: set.rows.length, skippedRows: set.skipped };
    startedAt = Date.now();
    last = { at: startedAt, ok: 0, skipped: 0 };
    pacer.begin();
    feedback?.begin();
    reportTimer = setInterval(periodic, o.reportEveryMs ?? 5000);
    if (o.durationMs)
      durationTimer = setTimeout(() => {
        if (feedback?.pending)
          report(
            `ran ${o.durationMs! / 1000} s: predictions stopped; the last labels follow within ${delay! / 1000} s`,
          );
        void stop({ drainFeedback: true });
      }, o.durationMs);
    return { signature, file, rows: set.rows.length, skippedRows: set.skipped };
  })();
  ready.catch(() => undefined); // observed by stop() and the caller; never an unhandled rejection

  const stop = (opts: { drainFeedback?: boolean } = {}): Promise<TrafficSummary> => {
    // A second stop without draining cuts a first one's wait for the last labels short.
    if (stopping) {
      if (!opts.drainFeedback) void feedback?.stop(false);
      return stopping;
    }
    stopping = (async () => {
      clearTimeout(durationTimer);
      try {
        await ready;
      } catch (err) {
        finish(summary());
        throw err;
      }
      await pacer.stop();
      endedAt = Date.now();
      clearInterval(reportTimer);
      await feedback?.stop(opts.drainFeedback ?? false);
      latency = tally.takeLatency() ?? latency;
      const s = summary();
      finish(s);
      return s;
    })();
    return stopping;
  };

  return { ready, done, summary, stop };
}
