import { Injectable } from '@nestjs/common';
import {
  DATASET_COLUMN,
  DRIFT_STATISTIC,
  MonitoringResults,
  type MonitoringResult,
} from '../../results/monitoring-results';
import type { AlertKind } from '../alert-kinds';
import type { AlertRuleEntity } from '../alert-rule.entity';
import { AlertSignal, windowOf, type EvaluationWindow, type SignalReading } from './alert-signal';

type ResultKind = Extract<
  AlertKind,
  'drift_verdict' | 'data_quality_rate' | 'estimated_quality_floor' | 'realised_quality_floor'
>;

/** Which stored statistic and columns a rule reads, and when a row breaches it. */
interface Reading {
  statistic: string;
  /** One column, or every column but the dataset's (undefined). */
  column?: string;
  measured: (row: MonitoringResult) => string;
  comparator: '>' | '<' | 'is';
  threshold: number | null;
  breached: (row: MonitoringResult) => boolean;
}

function readingOf(kind: ResultKind, params: Record<string, unknown>): Reading {
  const feature = params.feature as string | undefined;
  switch (kind) {
    case 'drift_verdict':
      return {
        statistic: DRIFT_STATISTIC,
        column: feature === '*' ? undefined : (feature ?? DATASET_COLUMN),
        measured: (r) => (r.column === DATASET_COLUMN ? 'dataset drift verdict' : `drift verdict of ${r.column}`),
        comparator: 'is',
        threshold: null,
        breached: (r) => r.verdict === 'drift',
      };
    case 'data_quality_rate': {
      const threshold = params.threshold as number;
      return {
        statistic: params.metric as string,
        column: feature,
        measured: (r) => `${String(params.metric)} of ${r.column}`,
        comparator: '>',
        threshold,
        breached: (r) => r.value !== null && r.value > threshold,
      };
    }
    case 'estimated_quality_floor':
    case 'realised_quality_floor': {
      const floor = params.floor as number;
      const statistic = `${kind === 'estimated_quality_floor' ? 'estimated' : 'realised'}_${String(params.metric)}`;
      return {
        statistic,
        column: DATASET_COLUMN,
        measured: () => statistic.replace('_', ' '),
        comparator: '<',
        threshold: floor,
        breached: (r) => r.value !== null && r.value < floor,
      };
    }
  }
}

/**
 * Drift, data-quality and quality kinds read the monitoring results the drift and quality jobs
 * store (monitoring.results): the newest window ending inside the rule's window, per model version
 * and column, each its own subject (`credit@v3`, `credit@v3/Income`). A version with no result in
 * the window has no reading, so its open alert resolves.
 */
@Injectable()
export class StoredResultsSignal extends AlertSignal {
  readonly kinds = ['drift_verdict', 'data_quality_rate', 'estimated_quality_floor', 'realised_quality_floor'] as const;

  constructor(private readonly results: MonitoringResults) {
    super();
  }

  async read(rule: AlertRuleEntity, window: EvaluationWindow): Promise<SignalReading[]> {
    const reading = readingOf(rule.kind as ResultKind, rule.params);
    const rows = await this.results.latest({
      model: rule.model,
      statistic: reading.statistic,
      column: reading.column,
      since: window.from,
      until: window.to,
    });
    return rows
      .filter((r) => reading.column !== undefined || r.column !== DATASET_COLUMN)
      .map((r) => ({
        subject: `${r.model}@v${r.version}${r.column === DATASET_COLUMN ? '' : `/${r.column}`}`,
        model: r.model,
        breached: reading.breached(r),
        value: r.value,
        threshold: reading.threshold ?? (typeof r.details?.threshold === 'number' ? r.details.threshold : null),
        evidence: {
          measured: reading.measured(r),
          window: windowOf(window),
          comparator: reading.comparator,
          result: {
            version: r.version,
            column: r.column,
            statistic: r.statistic,
            value: r.value,
            verdict: r.verdict,
            window: { from: r.windowStart.toISOString(), to: r.windowEnd.toISOString() },
            details: r.details ?? null,
          },
        },
      }));
  }
}
