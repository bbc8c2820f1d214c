import { Injectable } from '@nestjs/common';
import type { AlertRuleEntity } from '../alert-rule.entity';
import { ReplicaCounts } from '../counts/replica-counts';
import { AlertSignal, windowOf, type EvaluationWindow, type SignalReading } from './alert-signal';

const COUNTS_SOURCE = 'monitoring.replica_counts (every HTTP replica, per minute)';

/** `log_drops`: predictions the replicas' prediction logs dropped (buffer full), summed across replicas. */
@Injectable()
export class LogDropsSignal extends AlertSignal {
  readonly kinds = ['log_drops'] as const;

  constructor(private readonly counts: ReplicaCounts) {
    super();
  }

  async read(rule: AlertRuleEntity, window: EvaluationWindow): Promise<SignalReading[]> {
    const threshold = Number(rule.params.threshold ?? 0);
    const sums = await this.counts.sums(['log_dropped'], '', window.from, window.to);
    const dropped = sums.get('')?.get('log_dropped') ?? 0;
    return [
      {
        subject: 'service',
        model: null,
        breached: dropped > threshold,
        value: dropped,
        threshold,
        evidence: {
          measured: 'predictions dropped from the prediction log (its buffer was full)',
          window: windowOf(window),
          comparator: '>',
          source: COUNTS_SOURCE,
        },
      },
    ];
  }
}

/**
 * `error_rate`: the share of a model's records that failed (outcome `error`: the model threw), and
 * refused ones (`invalid`, 422) too when `includeInvalid`; nothing concluded below `minRequests`
 * records. Counted by every HTTP replica (the prediction log keeps answered predictions only).
 */
@Injectable()
export class ErrorRateSignal extends AlertSignal {
  readonly kinds = ['error_rate'] as const;

  constructor(private readonly counts: ReplicaCounts) {
    super();
  }

  async read(rule: AlertRuleEntity, window: EvaluationWindow): Promise<SignalReading[]> {
    const { threshold, minRequests, includeInvalid } = rule.params as {
      threshold: number;
      minRequests: number;
      includeInvalid: boolean;
    };
    const sums = await this.counts.sums(
      ['predictions_ok', 'predictions_invalid', 'predictions_error'],
      rule.model,
      window.from,
      window.to,
    );
    return [...sums].map(([model, c]) => {
      const ok = c.get('predictions_ok') ?? 0;
      const invalid = c.get('predictions_invalid') ?? 0;
      const error = c.get('predictions_error') ?? 0;
      const total = ok + invalid + error;
      const failed = error + (includeInvalid ? invalid : 0);
      const value = total ? failed / total : null;
      const enough = total >= minRequests;
      return {
        subject: model,
        model,
        breached: enough && value !== null && value > threshold,
        value,
        threshold,
        evidence: {
          measured: includeInvalid ? 'share of records refused or failed' : 'share of records the model failed on',
          window: windowOf(window),
          comparator: '>',
          records: { ok, invalid, error },
          ...(enough ? {} : { inconclusive: `fewer than minRequests (${minRequests}) records` }),
          source: COUNTS_SOURCE,
        },
      };
    });
  }
}
