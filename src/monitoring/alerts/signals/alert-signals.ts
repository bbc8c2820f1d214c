import { Injectable } from '@nestjs/common';
import type { AlertKind } from '../alert-kinds';
import type { AlertRuleEntity } from '../alert-rule.entity';
import type { AlertSignal, SignalReading } from './alert-signal';
import { LatencySignal } from './latency.signal';
import { ErrorRateSignal, LogDropsSignal } from './replica-count.signals';
import { StoredResultsSignal } from './stored-results.signal';
import { TrainingFailuresSignal } from './training-failures.signal';

/** Every kind's signal provider; a kind without one does not start (checked at construction). */
@Injectable()
export class AlertSignals {
  private readonly byKind = new Map<AlertKind, AlertSignal>();

  constructor(
    training: TrainingFailuresSignal,
    logDrops: LogDropsSignal,
    errors: ErrorRateSignal,
    latency: LatencySignal,
    stored: StoredResultsSignal,
  ) {
    for (const signal of [training, logDrops, errors, latency, stored])
      for (const kind of signal.kinds) this.byKind.set(kind, signal);
  }

  /** The readings of a rule over the window that ends at `at`. */
  read(rule: AlertRuleEntity, at: Date): Promise<SignalReading[]> {
    const signal = this.byKind.get(rule.kind);
    if (!signal) throw new Error(`no signal provider for alert kind ${rule.kind}`);
    return signal.read(rule, { from: new Date(at.getTime() - rule.windowSeconds * 1000), to: at });
  }
}
