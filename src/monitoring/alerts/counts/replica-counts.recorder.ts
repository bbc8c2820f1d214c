import { Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Registry } from 'prom-client';
import { AppConfig } from '../../../config/app-config';
import { ReplicaCounts, type CounterName, type CountDelta } from './replica-counts';

/** Inference's Prometheus families this recorder reads (src/inference/inference-metrics.ts). */
export const PREDICTIONS_FAMILY = 'mlapi_predictions_total';
export const LOG_DROPPED_FAMILY = 'mlapi_prediction_log_dropped_total';
/** The alias inference scores shadow traffic with (INFERENCE_SHADOW), off the response path. */
const SHADOW_ALIAS = 'shadow';
const OUTCOME_COUNTER: Record<string, CounterName> = {
  ok: 'predictions_ok',
  invalid: 'predictions_invalid',
  error: 'predictions_error',
};

/**
 * Every HTTP replica (HTTP role) adds what its counters grew by since its last flush to
 * monitoring.replica_counts every ALERT_COUNTS_FLUSH_MS, and once more at shutdown: prediction
 * outcomes per model (of callers' requests: shadow scoring is left out) and the prediction log's drops. It reads the process's own Prometheus
 * registry, so the predict path does no extra work. A failed write keeps the deltas for the next
 * flush; a replica that crashes loses at most one interval.
 */
@Injectable()
export class ReplicaCountsRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReplicaCountsRecorder.name);
  /** Unique per process: host and pid, and random bytes against a pid used again. */
  readonly replica = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  /** What was last written of each series (by `series()` key). */
  private readonly written = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** The write that follows the running one, shared by every call made during it. */
  private queued: Promise<void> | null = null;

  constructor(
    private readonly registry: Registry,
    private readonly counts: ReplicaCounts,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.env.ALERT_COUNTS_FLUSH_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /**
   * Writes what grew since the last successful write, one write at a time. A call during a write
   * gets the next one: the running write read the counters before the call (the shutdown flush
   * would otherwise miss the last requests' counts while the timer's write is under way).
   */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.write().finally(() => (this.flushing = null));
      return this.flushing;
    }
    this.queued ??= this.flushing.then(() => {
      this.queued = null;
      return this.flush();
    });
    return this.queued;
  }

  private async write(): Promise<void> {
    const series = await this.series();
    const grown = new Map<string, CountDelta>();
    for (const [key, { counter, model, value }] of series) {
      const before = this.written.get(key) ?? 0;
      // A series below what was written was removed and made again (its version left the model
      // cache and came back): it counts from zero again.
      const delta = value >= before ? value - before : value;
      if (delta <= 0) continue;
      const sum = grown.get(`${counter}\u0000${model}`) ?? { counter, model, value: 0 };
      sum.value += delta;
      grown.set(`${counter}\u0000${model}`, sum);
    }
    try {
      await this.counts.add(this.replica, new Date(), [...grown.values()]);
      // Series that are gone are forgotten: one made again later starts from zero.
      this.written.clear();
      for (const [key, { value }] of series) this.written.set(key, value);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'replica counts not written; kept for the next flush');
    }
  }

  /**
   * This process's cumulative counts, one entry per Prometheus series (by its labels): a model's
   * outcome is counted per version and alias, and a version's series are removed when it leaves
   * the model cache, so a sum per model would fall and lose what the other series grew by.
   */
  private async series(): Promise<Map<string, CountDelta>> {
    const out = new Map<string, CountDelta>();
    const predictions = await this.registry.getSingleMetric(PREDICTIONS_FAMILY)?.get();
    for (const { labels, value } of predictions?.values ?? []) {
      const counter = OUTCOME_COUNTER[String(labels.outcome)];
      // Shadow scoring is no request of a caller: its records would dilute the error rate, and
      // its refusals (a signature the production records do not fit) would raise it.
      if (counter && labels.alias !== SHADOW_ALIAS)
        out.set(JSON.stringify([counter, labels]), { counter, model: String(labels.model), value });
    }
    const dropped = await this.registry.getSingleMetric(LOG_DROPPED_FAMILY)?.get();
    for (const { labels, value } of dropped?.values ?? [])
      out.set(JSON.stringify(['log_dropped', labels]), { counter: 'log_dropped', model: '', value });
    return out;
  }
}
