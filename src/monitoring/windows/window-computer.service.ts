import { Injectable } from '@nestjs/common';
import { DEFAULT_DRIFT_SETTINGS, type DriftSettings } from '../../ml';
import { AppConfig } from '../../config/app-config';
import { bucketDrift } from '../buckets/bucket-drift';
import { MonitoringBuckets, type BucketWindow, type SummedBuckets } from '../buckets/monitoring-buckets.service';
import {
  DATASET_COLUMN,
  DRIFT_STATISTIC,
  MonitoringResults,
  type MonitoringResult,
} from '../results/monitoring-results';
import { baselineProfile } from './baseline-profile';
import { LogAggregates } from './log-aggregates';
import { estimateWindowQuality } from './window-estimate';
import type { Window } from './window-plan';
import { ROWS_STATISTIC, windowRows } from './window-results';
import { VersionReferences } from './version-references';

export interface WindowRequest extends Window {
  model: string;
  /** One version, the versions an alias served in the window, or (neither) every version with buckets. */
  version?: number;
  alias?: string;
  /** Compare with this live window instead of the training profile. */
  baseline?: Window | null;
  /** Versions to report even without a bucket in the window (the job: every version in service). */
  expected?: number[];
  /** Where the aggregates come from: the buckets (default) or the raw prediction log (LogAggregates). */
  source?: WindowSource;
}

export type WindowSource = 'buckets' | 'log';
export const WINDOW_SOURCES: readonly WindowSource[] = ['buckets', 'log'];

export interface VersionWindow {
  version: number;
  /** Predictions counted, and bucket rows read (minutes × replicas). */
  rows: number;
  buckets: number;
  results: MonitoringResult[];
  /** With the log source: the predictions the buckets counted in the same window, to set beside `rows`. */
  bucketRows?: number;
}

/**
 * Drift, data quality and estimated quality of one model's window, per version, from its summed
 * buckets, stored in monitoring.results (a recomputation replaces the window's rows) and answered.
 */
@Injectable()
export class WindowComputer {
  readonly settings: DriftSettings;

  constructor(
    private readonly buckets: MonitoringBuckets,
    private readonly log: LogAggregates,
    private readonly references: VersionReferences,
    private readonly results: MonitoringResults,
    config: AppConfig,
  ) {
    const env = config.env;
    this.settings = {
      ...DEFAULT_DRIFT_SETTINGS,
      pValueThreshold: env.MONITORING_DRIFT_P_VALUE,
      distanceThreshold: env.MONITORING_DRIFT_DISTANCE,
      driftShare: env.MONITORING_DRIFT_SHARE,
      minWindowRows: env.MONITORING_MIN_WINDOW_ROWS,
    };
  }

  async compute(request: WindowRequest): Promise<VersionWindow[]> {
    const { model, version, alias, from, to, baseline } = request;
    const sums = await this.sum(request, { model, version, alias, from, to });
    const out: VersionWindow[] = [];
    for (const s of sums) out.push(await this.versionWindow(s, request));
    if (request.source === 'log') await this.addBucketRows(out, request);
    const seen = new Set(sums.map((s) => s.version));
    for (const v of request.expected ?? [])
      if (!seen.has(v) && !baseline)
        out.push({ version: v, rows: 0, buckets: 0, results: this.emptyRows(model, v, request) });
    await this.results.write(out.flatMap((w) => w.results));
    return out.sort((a, b) => a.version - b.version);
  }

  private async versionWindow(s: SummedBuckets, request: WindowRequest): Promise<VersionWindow> {
    const ref = await this.references.get(s.model, s.version);
    const { baseline } = request;
    let profile = ref.profile;
    if (baseline) {
      const [base] = await this.sum(request, { model: s.model, version: s.version, ...baseline });
      profile = base ? baselineProfile(base.aggregate, ref.profile) : { ...ref.profile, features: [], rows: 0 };
    }
    const report = bucketDrift(s.aggregate, profile, this.settings);
    if (baseline && !profile.rows) report.prediction = null;
    const results = windowRows({
      model: s.model,
      version: s.version,
      from: request.from,
      to: request.to,
      report,
      settings: this.settings,
      estimate: baseline ? null : estimateWindowQuality(s.aggregate, ref),
      baseline,
    });
    return { version: s.version, rows: s.aggregate.rows, buckets: s.buckets, results };
  }

  private sum(request: WindowRequest, window: BucketWindow): Promise<SummedBuckets[]> {
    return request.source === 'log' ? this.log.sum(window) : this.buckets.sum(window);
  }

  private async addBucketRows(out: VersionWindow[], request: WindowRequest): Promise<void> {
    const { model, version, alias, from, to } = request;
    const counted = new Map((await this.buckets.sum({ model, version, alias, from, to })).map((s) => [s.version, s]));
    for (const w of out) w.bucketRows = counted.get(w.version)?.aggregate.rows ?? 0;
  }

  /** A version in service that served nothing in the window: no verdict, and zero rows. */
  private emptyRows(model: string, version: number, w: Window): MonitoringResult[] {
    const base = { model, version, windowStart: w.from, windowEnd: w.to, column: DATASET_COLUMN };
    return [
      {
        ...base,
        statistic: DRIFT_STATISTIC,
        value: null,
        verdict: 'insufficient_data',
        details: { reason: 'no_predictions' },
      },
      { ...base, statistic: ROWS_STATISTIC, value: 0, verdict: null, details: null },
    ];
  }
}
