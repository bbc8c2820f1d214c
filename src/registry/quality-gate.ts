/**
 * The promotion quality gate, as pure functions (unit-tested without I/O).
 *
 * A candidate passes when
 *  1. every configured minimum holds (`GATE_MIN_METRICS`, e.g. `roc_auc>=0.7,rmse<=4`; `name=x`
 *     means `>=`), a missing metric failing the check; and
 *  2. on the primary metric (the first of `GATE_PRIMARY_METRIC` the candidate has), it is not
 *     worse than the version now holding the alias by more than `GATE_MAX_REGRESSION`.
 *
 * "Same held-out data" means the same evaluation dataset version and the same split. When the two
 * versions were evaluated on different data the numbers are not strictly comparable; with
 * `GATE_ON_DIFFERENT_DATA=warn` (default) the comparison still runs and the audit row carries a
 * warning (retraining on a newer dataset version always changes the held-out data, and the gate
 * must still be able to decide); with `refuse` the move is refused unless an admin forces it.
 */
export type Comparator = '>=' | '<=';
export interface MinMetric {
  metric: string;
  op: Comparator;
  threshold: number;
}

export interface GateConfig {
  minMetrics: MinMetric[];
  primaryMetrics: string[];
  maxRegression: number;
  onDifferentData: 'warn' | 'refuse';
}

export interface GateSubject {
  version: number;
  metrics: Record<string, number>;
  evaluationDatasetVersionId: string | null;
  evaluationSplit: string | null;
}

export interface GateReason {
  field: string;
  message: string;
}

export interface GateResult {
  passed: boolean;
  reasons: GateReason[];
  warnings: string[];
  primaryMetric: string | null;
  candidate: { version: number; value: number | null };
  current: { version: number; value: number | null } | null;
  sameEvaluationData: boolean | null;
}

const LOWER_IS_BETTER = /(loss|error|rmse|mse|mae|mape|brier)/i;

/** Whether a smaller value of this metric is better (losses and errors). */
export function lowerIsBetter(metric: string): boolean {
  return LOWER_IS_BETTER.test(metric);
}

/** Parses `roc_auc>=0.7,rmse<=4,accuracy=0.6`; throws an Error naming the bad entry. */
export function parseMinMetrics(spec: string): MinMetric[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^([A-Za-z0-9_.\-/ ]+?)\s*(>=|<=|=)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)$/i.exec(entry);
      if (!match) throw new Error(`"${entry}" is not of the form name>=number, name<=number or name=number`);
      const [, metric, op, value] = match;
      return { metric: metric, op: op === '<=' ? '<=' : '>=', threshold: Number(value) };
    });
}

export function evaluateGate(config: GateConfig, candidate: GateSubject, current: GateSubject | null): GateResult {
  const reasons: GateReason[] = [];
  const warnings: string[] = [];

  for (const { metric, op, threshold } of config.minMetrics) {
    const value = candidate.metrics[metric];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      reasons.push({
        field: `metrics.${metric}`,
        message: `version ${candidate.version} has no ${metric}; the gate requires ${metric}${op}${threshold}`,
      });
    } else if (op === '>=' ? value < threshold : value > threshold) {
      reasons.push({
        field: `metrics.${metric}`,
        message: `${metric} is ${value}; the gate requires ${op} ${threshold}`,
      });
    }
  }

  const primary = config.primaryMetrics.find((m) => typeof candidate.metrics[m] === 'number') ?? null;
  const candidateValue = primary ? candidate.metrics[primary] : null;
  const result: GateResult = {
    passed: false,
    reasons,
    warnings,
    primaryMetric: primary,
    candidate: { version: candidate.version, value: candidateValue },
    current: null,
    sameEvaluationData: null,
  };
  if (!current || current.version === candidate.version) {
    if (!primary)
      warnings.push(
        `version ${candidate.version} has none of the primary metrics (${config.primaryMetrics.join(', ')})`,
      );
    result.passed = reasons.length === 0;
    return result;
  }

  const same =
    current.evaluationDatasetVersionId !== null &&
    current.evaluationDatasetVersionId === candidate.evaluationDatasetVersionId &&
    (current.evaluationSplit ?? null) === (candidate.evaluationSplit ?? null);
  result.sameEvaluationData = same;
  if (!same) {
    const message =
      `versions ${current.version} and ${candidate.version} were evaluated on different held-out data ` +
      `(${describeData(current)} vs ${describeData(candidate)}); their metrics are not strictly comparable`;
    if (config.onDifferentData === 'refuse') reasons.push({ field: 'evaluationDatasetVersionId', message });
    else warnings.push(message);
  }

  if (!primary) {
    const held = config.primaryMetrics.find((m) => typeof current.metrics[m] === 'number');
    if (held)
      reasons.push({
        field: `metrics.${held}`,
        message: `version ${candidate.version} has no ${held}, so it cannot be compared with version ${current.version}`,
      });
    else
      warnings.push(`neither version has a primary metric (${config.primaryMetrics.join(', ')}); no regression check`);
  } else {
    const currentValue = current.metrics[primary];
    result.current = { version: current.version, value: typeof currentValue === 'number' ? currentValue : null };
    if (typeof currentValue !== 'number') {
      warnings.push(`version ${current.version} has no ${primary}; no regression check`);
    } else {
      const worseBy = lowerIsBetter(primary)
        ? (candidateValue as number) - currentValue
        : currentValue - (candidateValue as number);
      // A tiny epsilon so that "exactly the margin" passes despite floating-point noise.
      if (worseBy > config.maxRegression + 1e-12) {
        reasons.push({
          field: `metrics.${primary}`,
          message: `${primary} ${candidateValue} is worse than version ${current.version}'s ${currentValue} by ${round(worseBy)} (allowed ${config.maxRegression})`,
        });
      }
    }
  }
  result.passed = reasons.length === 0;
  return result;
}

function describeData(s: GateSubject): string {
  return `${s.evaluationDatasetVersionId ?? 'unknown dataset'}${s.evaluationSplit ? ` / ${s.evaluationSplit}` : ''}`;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
