import { Injectable } from '@nestjs/common';
import { addLatency } from '../../buckets/bucket-aggregate';
import { LATENCY_BINS, LATENCY_RATIO, latencyQuantile } from '../../buckets/latency-histogram';
import { MonitoringBuckets, SHADOW_ALIAS } from '../../buckets/monitoring-buckets.service';
import type { AlertRuleEntity } from '../alert-rule.entity';
import { ReplicaCounts } from '../counts/replica-counts';
import { AlertSignal, windowOf, type EvaluationWindow, type SignalReading } from './alert-signal';

const MINUTE = 60_000;
/** The histogram's worst relative error, as the evidence states it (LATENCY_RATIO ≈ 1.395). */
const ERROR_BOUND = `within a factor ${LATENCY_RATIO.toFixed(3)} of the exact p99 (−${((1 - 1 / LATENCY_RATIO) * 100).toFixed(0)}% / +${((LATENCY_RATIO - 1) * 100).toFixed(1)}%)`;

/**
 * `latency_p99`: the 99th percentile of the latency of the requests answered to callers in the
 * window, from the monitoring buckets' per-minute latency histograms (whole hours from their
 * roll-ups), so its cost grows with minutes × versions × replicas, never with traffic; shadow
 * scoring (alias `shadow`) is left out: it runs after the answer, no caller waited for it. With no
 * model named, the models are those the replicas counted predictions of in the window.
 */
@Injectable()
export class LatencySignal extends AlertSignal {
  readonly kinds = ['latency_p99'] as const;

  constructor(
    private readonly buckets: MonitoringBuckets,
    private readonly counts: ReplicaCounts,
  ) {
    super();
  }

  async read(rule: AlertRuleEntity, window: EvaluationWindow): Promise<SignalReading[]> {
    const { thresholdMs, minRequests } = rule.params as { thresholdMs: number; minRequests: number };
    const models = rule.model
      ? [rule.model]
      : [...(await this.counts.sums(['predictions_ok'], null, window.from, window.to)).keys()];
    const readings: SignalReading[] = [];
    for (const model of models) {
      const histogram = await this.callersLatency(model, window);
      const requests = histogram.reduce((n, c) => n + c, 0);
      const p99 = latencyQuantile(histogram, 0.99);
      const enough = requests >= minRequests;
      readings.push({
        subject: model,
        model,
        breached: enough && p99 !== null && p99 > thresholdMs,
        value: p99 === null ? null : Number(p99.toFixed(3)),
        threshold: thresholdMs,
        evidence: {
          measured: 'p99 latency of requests answered to callers (ms; shadow scoring left out)',
          window: windowOf(window),
          comparator: '>',
          requests,
          approximation: `from the buckets' ${LATENCY_BINS}-bin log-spaced latency histogram: ${ERROR_BOUND}`,
          ...(enough ? {} : { inconclusive: `fewer than minRequests (${minRequests}) requests` }),
        },
      });
    }
    return readings;
  }

  /**
   * The model's latency histogram over the window's minutes (every version and alias but the
   * shadow), `from` rounded down to its minute as the replica counts are.
   */
  private async callersLatency(model: string, window: EvaluationWindow): Promise<number[]> {
    const from = new Date(Math.floor(window.from.getTime() / MINUTE) * MINUTE);
    const sum: { latency?: number[] } = {};
    if (from.getTime() < window.to.getTime()) {
      const rows = await this.buckets.rows<number[] | null>(
        { model, from, to: window.to },
        { select: `payload->'latency'` },
      );
      for (const { alias, payload } of rows) if (alias !== SHADOW_ALIAS) addLatency(sum, payload ?? undefined);
    }
    return sum.latency ?? [];
  }
}
