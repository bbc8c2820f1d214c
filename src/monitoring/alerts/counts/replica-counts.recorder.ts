import { Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Registry } from 'prom-client';
import { AppConfig } from '../../../config/app-config';
import { ReplicaCounts, type CounterName, type CountDelta } from './replica-counts';

/** Inference's Prometheus families this recorder reads (src/inference/inference-metrics.ts). */
export const PREDICTIONS_FAMILY = 'mlapi_predictions_total';
export const LOG_DROPPED_FAMILY = 'mlapi_prediction_log_dropped_total';
const OUTCOME_COUNTER: Record<string, CounterName> = {
  ok: 'predictions_ok',
  invalid: 'predictions_invalid',
  error: 'predictions_error',
};

/**
 * Every HTTP replica (HTTP role) adds what its counters grew by since its last flush to
 * monitoring.replica_counts every ALERT_COUNTS_FLUSH_MS, and once more at shutdown: prediction
 * outcomes per model and the prediction log's drops. It reads the process's own Prometheus
 * registry, so the predict path does no extra work. A failed write keeps the deltas for the next
 * flush; a replica that crashes loses at most one interval.
 */
@Injectable()
export class ReplicaCountsRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReplicaCountsRecorder.name);
  /** Unique per process: host and pid, and random bytes against a pid used again. */
  readonly replica = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly written = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

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

  /** Writes what grew since the last successful write (one flush at a time). */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async write(): Promise<void> {
    const totals = await this.totals();
    const deltas: CountDelta[] = [];
    for (const [key, total] of totals) {
      const grown = total - (this.written.get(key) ?? 0);
      const [counter, model] = key.split('\u0000') as [CounterName, string];
      if (grown > 0) deltas.push({ counter, model, value: grown });
    }
    try {
      await this.counts.add(this.replica, new Date(), deltas);
      for (const [key, total] of totals) this.written.set(key, total);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'replica counts not written; kept for the next flush');
    }
  }

  /** Cumulative counts of this process, by counter and model. */
  private async totals(): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    const add = (counter: CounterName, model: string, value: number) => {
      const key = `${counter}\u0000${model}`;
      totals.set(key, (totals.get(key) ?? 0) + value);
    };
    const predictions = await this.registry.getSingleMetric(PREDICTIONS_FAMILY)?.get();
    for (const { labels, value } of predictions?.values ?? []) {
      const counter = OUTCOME_COUNTER[String(labels.outcome)];
      if (counter) add(counter, String(labels.model), value);
    }
    const dropped = await this.registry.getSingleMetric(LOG_DROPPED_FAMILY)?.get();
    for (const { value } of dropped?.values ?? []) add('log_dropped', '', value);
    return totals;
  }
}
