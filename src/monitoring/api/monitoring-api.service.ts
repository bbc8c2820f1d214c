import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { EventBus } from '../../events';
import { ModelRegistryService } from '../../registry';
import { MonitoringError, MonitoringErrorCode } from '../monitoring.errors';
import { DATASET_COLUMN, DRIFT_STATISTIC, type MonitoringResult } from '../results/monitoring-results';
import { announceWritten } from '../results/results-written.event';
import { ResultsSeries, slotMs } from '../results/results-series';
import { WindowComputer } from '../windows/window-computer.service';
import { WindowJob } from '../windows/window-job.service';
import type { Window } from '../windows/window-plan';
import { BASELINE_PREFIX, ROWS_STATISTIC } from '../windows/window-results';
import type { ComputeWindowDto, PerformanceQueryDto, ResultsQueryDto } from './dto/window-query.dto';
import type {
  ComputedWindowDto,
  MetricValueDto,
  MonitoredModelDto,
  PerformancePageDto,
  ResultPointDto,
  SeriesDto,
  SeriesPageDto,
} from './dto/monitoring.dto';

const DAY = 86_400_000;
/** Longest range a read covers (results are kept MONITORING_RESULTS_RETENTION_DAYS, 90 by default). */
export const READ_RANGE_DAYS = 31;
/** A window may end this far ahead of the clock (clock skew between replicas). */
const FUTURE_SLACK_MS = 60_000;
export const DRIFT_STATISTICS = ['drift', 'psi', 'ks', 'ks_p', 'wasserstein', 'jensen_shannon', 'chi2_p'];
export const QUALITY_STATISTICS = ['missing_rate', 'out_of_range_rate', 'unknown_category_rate'];

const iso = (d: Date) => d.toISOString();
const thresholdOf = (r: MonitoringResult) => (typeof r.details?.threshold === 'number' ? r.details.threshold : null);

function point(r: MonitoringResult): ResultPointDto {
  return {
    from: iso(r.windowStart),
    to: iso(r.windowEnd),
    value: r.value,
    verdict: r.verdict,
    threshold: thresholdOf(r),
    details: r.details ?? null,
  };
}

/** Rows grouped into series (version, column, statistic), points oldest first. */
export function toSeries(rows: MonitoringResult[], stripPrefix = ''): SeriesDto[] {
  const out = new Map<string, SeriesDto>();
  for (const r of rows) {
    const statistic = r.statistic.startsWith(stripPrefix) ? r.statistic.slice(stripPrefix.length) : r.statistic;
    const key = `${r.version}|${r.column}|${statistic}`;
    let s = out.get(key);
    if (!s) out.set(key, (s = { version: r.version, column: r.column, statistic, points: [] }));
    s.points.push(point(r));
  }
  for (const s of out.values()) s.points.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  return [...out.values()];
}

function band(details: Record<string, unknown> | null): { lower?: number; upper?: number } {
  return {
    ...(typeof details?.lower === 'number' ? { lower: details.lower } : {}),
    ...(typeof details?.upper === 'number' ? { upper: details.upper } : {}),
  };
}

const metricOf = (r: MonitoringResult): MetricValueDto => ({
  value: r.value,
  verdict: r.verdict,
  details: r.details ?? null,
  ...band(r.details ?? null),
});

/** The monitoring API's reads and on-demand computations, with their checks. */
@Injectable()
export class MonitoringApi {
  constructor(
    private readonly registry: ModelRegistryService,
    private readonly series: ResultsSeries,
    private readonly computer: WindowComputer,
    private readonly job: WindowJob,
    private readonly config: AppConfig,
    private readonly events: EventBus,
  ) {}

  /** Models with a version in service, each version with its aliases and its newest figures. */
  async models(now = new Date()): Promise<MonitoredModelDto[]> {
    const served = await this.job.inService();
    const names = [...new Set(served.map((s) => s.model))];
    const since = new Date(now.getTime() - READ_RANGE_DAYS * DAY);
    const latest = await this.series.latestOfVersions(served, [DRIFT_STATISTIC, ROWS_STATISTIC], ['estimated_'], since);
    const of = (model: string, version: number) => latest.filter((r) => r.model === model && r.version === version);
    return names.map((name) => ({
      name,
      versions: served
        .filter((s) => s.model === name)
        .map((s) => {
          const rows = of(name, s.version);
          const drift = rows.find((r) => r.statistic === DRIFT_STATISTIC);
          const count = rows.find((r) => r.statistic === ROWS_STATISTIC);
          return {
            version: s.version,
            aliases: s.aliases,
            window: drift ? { from: iso(drift.windowStart), to: iso(drift.windowEnd) } : null,
            rows: count?.value ?? null,
            drift: drift?.verdict ?? null,
            driftShare: drift?.value ?? null,
            estimated: Object.fromEntries(
              rows.filter((r) => r.statistic.startsWith('estimated_')).map((r) => [r.statistic.slice(10), metricOf(r)]),
            ),
          };
        }),
    }));
  }

  async readSeries(
    name: string,
    q: ResultsQueryDto,
    select: { statistics?: string[]; prefixes?: string[]; column?: string; stripPrefix?: string; alignedMs?: number },
  ): Promise<SeriesPageDto> {
    const { range, version } = await this.readScope(name, q);
    const rows = await this.series.read({ model: name, ...select, version, ...range, points: q.points });
    return {
      model: name,
      from: iso(range.from),
      to: iso(range.to),
      points: q.points,
      slotSeconds: slotMs({ ...range, points: q.points }) / 1000,
      series: toSeries(rows, select.stripPrefix),
    };
  }

  /**
   * Estimated and realised figures side by side, per version and window: only the epoch-aligned
   * windows (`MONITORING_WINDOW_MS`), which both the window job and the realised job write, so the
   * two sides of an entry are of the same window (`paired` when both have figures).
   */
  async performance(name: string, q: PerformanceQueryDto): Promise<PerformancePageDto> {
    const windowMs = this.config.env.MONITORING_WINDOW_MS;
    const page = await this.readSeries(name, q, {
      prefixes: ['estimated_', 'realised_'],
      column: DATASET_COLUMN,
      alignedMs: q.windows === 'all' ? undefined : windowMs,
    });
    const windows = new Map<string, PerformancePageDto['windows'][number]>();
    for (const s of page.series)
      for (const p of s.points) {
        const key = `${s.version}|${p.from}|${p.to}`;
        let w = windows.get(key);
        if (!w)
          windows.set(
            key,
            (w = { version: s.version, from: p.from, to: p.to, paired: false, estimated: {}, realised: {} }),
          );
        const [kind, ...metric] = s.statistic.split('_');
        const side = kind === 'estimated' ? w.estimated : w.realised;
        side[metric.join('_')] = { value: p.value, verdict: p.verdict, details: p.details, ...band(p.details) };
      }
    const sorted = [...windows.values()].sort((a, b) => a.version - b.version || (a.to < b.to ? -1 : 1));
    for (const w of sorted) w.paired = Object.keys(w.estimated).length > 0 && Object.keys(w.realised).length > 0;
    return {
      model: name,
      from: page.from,
      to: page.to,
      points: page.points,
      slotSeconds: page.slotSeconds,
      windowSeconds: windowMs / 1000,
      windows: sorted,
    };
  }

  /** Computes a window now (stored as the scheduled job would) and answers its rows. */
  async compute(name: string, body: ComputeWindowDto, now = new Date()): Promise<ComputedWindowDto> {
    this.checkWindow(body, 'window', now, this.config.env.MONITORING_WINDOW_MAX_DAYS);
    if (body.baseline) this.checkWindow(body.baseline, 'baseline', now, this.config.env.MONITORING_WINDOW_MAX_DAYS);
    await this.registry.getModel(name);
    if (body.version !== undefined) await this.registry.getVersion(name, body.version);
    const window: Window = { from: body.from, to: body.to };
    const baseline = body.baseline ? { from: body.baseline.from, to: body.baseline.to } : null;
    const source = body.source ?? 'buckets';
    const computed = await this.computer.compute({
      model: name,
      version: body.version,
      alias: body.alias,
      ...window,
      baseline,
      source,
    });
    // Stored like the job's windows, so open dashboards refetch them as they do the job's.
    for (const v of computed)
      if (v.results.length) announceWritten(this.events, 'drift', { model: name, ...v }, window);
    return {
      model: name,
      window: { from: iso(window.from), to: iso(window.to) },
      baseline: baseline && { from: iso(baseline.from), to: iso(baseline.to) },
      source,
      ...(source === 'log' ? { logSampleRate: this.config.env.INFERENCE_LOG_SAMPLE_RATE } : {}),
      versions: computed.map((v) => ({
        version: v.version,
        rows: v.rows,
        buckets: v.buckets,
        ...(v.bucketRows === undefined ? {} : { bucketRows: v.bucketRows }),
        drift:
          v.results.find(
            (r) => r.column === DATASET_COLUMN && r.statistic === (baseline ? BASELINE_PREFIX : '') + DRIFT_STATISTIC,
          )?.verdict ?? null,
        results: toSeries(v.results, baseline ? BASELINE_PREFIX : ''),
      })),
    };
  }

  /** The version a read or histogram means: `version`, the one `alias` names, or (neither) `fallbackAlias`'s or all. */
  async resolveVersion(
    name: string,
    q: { version?: number; alias?: string },
    fallbackAlias?: string,
  ): Promise<number | undefined> {
    if (q.version !== undefined) {
      await this.registry.getVersion(name, q.version);
      return q.version;
    }
    const alias = q.alias ?? fallbackAlias;
    if (alias) return this.registry.aliasVersion(name, alias);
    await this.registry.getModel(name);
    return undefined;
  }

  /** A window in (default) `defaultMs` before now; checked. */
  range(q: { from?: Date; to?: Date }, defaultMs: number, capDays: number, now = new Date()): Window {
    const to = q.to ?? now;
    const from = q.from ?? new Date(to.getTime() - defaultMs);
    this.checkWindow({ from, to }, 'range', now, capDays);
    return { from, to };
  }

  private async readScope(name: string, q: ResultsQueryDto) {
    const range = this.range(q, DAY, READ_RANGE_DAYS);
    return { range, version: await this.resolveVersion(name, q) };
  }

  private checkWindow(w: Window, field: string, now: Date, capDays: number): void {
    const prefix = field === 'window' ? '' : `${field}.`;
    if (!(w.from.getTime() < w.to.getTime()))
      throw new MonitoringError(MonitoringErrorCode.WINDOW_INVALID, `The ${field}'s from must be before its to`, [
        { field: `${prefix}from`, message: `must be before ${prefix}to (${iso(w.to)})` },
      ]);
    if (w.from.getTime() > now.getTime() + FUTURE_SLACK_MS)
      throw new MonitoringError(MonitoringErrorCode.WINDOW_INVALID, `The ${field} starts in the future`, [
        { field: `${prefix}from`, message: `lies in the future (now is ${iso(now)})` },
      ]);
    if (w.to.getTime() - w.from.getTime() > capDays * DAY)
      throw new MonitoringError(
        MonitoringErrorCode.WINDOW_TOO_LONG,
        `The ${field} is longer than the ${capDays}-day cap`,
        [{ field: `${prefix}to`, message: `at most ${capDays} days after ${prefix}from` }],
      );
  }
}
