import type { AlertKind } from '../alert-kinds';
import type { AlertRuleEntity } from '../alert-rule.entity';

/** The window one evaluation of a rule looks at: `[from, to)`, `to` the evaluation time. */
export interface EvaluationWindow {
  from: Date;
  to: Date;
}

/** What was measured, over which window, against what: stored with the alert and sent with it. */
export interface Evidence {
  /** In words: `failed training jobs`, `share of records refused or failed`, `drift verdict of Income`. */
  measured: string;
  window: { from: string; to: string };
  /** How the value is compared with the threshold: it fires when `value <comparator> threshold`. */
  comparator: '>' | '<' | 'is';
  /** Anything else that backs the figure: counts, the result row, the failed jobs. */
  [detail: string]: unknown;
}

/** A rule's condition on one subject at one evaluation. */
export interface SignalReading {
  /** What the reading is about, unique within the rule: `credit`, `credit@v3/Income`, `service`. */
  subject: string;
  model: string | null;
  /** The condition holds (a reading without enough data to conclude does not). */
  breached: boolean;
  value: number | null;
  threshold: number | null;
  evidence: Evidence;
}

/**
 * Where the readings of some kinds of rule come from. The evaluator asks the provider of each
 * rule's kind for every subject it sees in the window (one model, or every model when the rule
 * names none); a subject of an open alert missing from the answer counts as not breached.
 */
export abstract class AlertSignal {
  abstract readonly kinds: readonly AlertKind[];
  abstract read(rule: AlertRuleEntity, window: EvaluationWindow): Promise<SignalReading[]>;
}

/** A window as evidence shows it. */
export const windowOf = (w: EvaluationWindow) => ({ from: w.from.toISOString(), to: w.to.toISOString() });
