import { Injectable } from '@nestjs/common';
import { PredictionReader } from '../../../inference';
import type { AlertRuleEntity } from '../alert-rule.entity';
import { ReplicaCounts } from '../counts/replica-counts';
import { AlertSignal, windowOf, type EvaluationWindow, type SignalReading } from './alert-signal';

/**
 * `latency_p99`: the 99th percentile of request latency of a model's logged records in the window
 * (the prediction log's `latency_ms`, through inference's reader), shadow scoring left out (it runs
 * after the answer: no caller waited for it). With no model named, the models are those the
 * replicas counted predictions of in the window.
 */
@Injectable()
export class LatencySignal extends AlertSignal {
  readonly kinds = ['latency_p99'] as const;

  constructor(
    private readonly reader: PredictionReader,
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
      const p99 = await this.reader.latencyQuantile({ model, from: window.from, to: window.to }, 0.99);
      const enough = p99.records >= minRequests;
      readings.push({
        subject: model,
        model,
        breached: enough && p99.latencyMs !== null && p99.latencyMs > thresholdMs,
        value: p99.latencyMs,
        threshold: thresholdMs,
        evidence: {
          measured: 'p99 request latency of logged records answered to callers (ms; shadow scoring left out)',
          window: windowOf(window),
          comparator: '>',
          records: p99.records,
          ...(enough ? {} : { inconclusive: `fewer than minRequests (${minRequests}) logged records` }),
        },
      });
    }
    return readings;
  }
}
