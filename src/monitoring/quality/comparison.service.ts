import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ModelRegistryService } from '../../registry';
import { MonitoringError, MonitoringErrorCode } from '../monitoring.errors';
import type { MonitoringResult } from '../results/monitoring-results';
import { ResultsSeries } from '../results/results-series';
import {
  COMPARISON_POINTS,
  type ComparisonDto,
  type ComparisonWindowDto,
  type ShadowComparisonDto,
  type VersionFiguresDto,
} from './dto/comparison.dto';
import { INSUFFICIENT_DATA } from './realised-quality.job';

const DAY_MS = 86_400_000;
/** The longest span one comparison reads (hourly windows: 744 of them). */
export const MAX_COMPARISON_MS = 31 * DAY_MS;

const PREFIXES = ['realised_', 'estimated_', 'shadow_', 'labelled_share', 'label_delay_'];

/**
 * Production beside canary and shadow, window by window, from the stored results (the realised
 * job's rows, the drift job's `estimated_*`): nothing is recomputed on the request path. Only the
 * epoch-aligned windows of MONITORING_WINDOW_MS are read (the window job writes each once it has
 * ended), so a version's estimated and realised figures are of the same window (`paired`); the
 * window job's sliding windows (every minute, for alerts) are left out. A long span is downsampled
 * by window (`points`): per slot its newest window, whole, so its versions stay side by side.
 */
@Injectable()
export class ComparisonService {
  constructor(
    private readonly results: ResultsSeries,
    private readonly registry: ModelRegistryService,
    private readonly config: AppConfig,
  ) {}

  async compare(
    model: string,
    from?: Date,
    to?: Date,
    points = COMPARISON_POINTS,
    now = new Date(),
  ): Promise<ComparisonDto> {
    const until = to ?? now;
    const since = from ?? new Date(until.getTime() - DAY_MS);
    checkSpan(since, until);
    await this.registry.getModel(model); // 404 for an unknown model
    const windowMs = this.config.env.MONITORING_WINDOW_MS;
    const rows = await this.results.read({
      model,
      prefixes: PREFIXES,
      from: since,
      to: until,
      inside: true,
      alignedMs: windowMs,
    });
    const windows = new Map<string, MonitoringResult[]>();
    for (const r of rows) {
      const key = `${r.windowStart.toISOString()}|${r.windowEnd.toISOString()}`;
      const list = windows.get(key);
      if (list) list.push(r);
      else windows.set(key, [r]);
    }
    const slotMs = comparisonSlotMs(since, until, points, windowMs);
    return {
      model,
      from: since.toISOString(),
      to: until.toISOString(),
      windowSeconds: windowMs / 1000,
      points,
      slotSeconds: slotMs / 1000,
      windows: newestPerSlot([...windows.values()].reverse(), slotMs, points).map(windowOf),
    };
  }
}

/** Slots of whole windows, as few as make at most `points` of them over the span. */
export const comparisonSlotMs = (from: Date, to: Date, points: number, windowMs: number): number =>
  Math.max(1, Math.ceil((to.getTime() - from.getTime()) / points / windowMs)) * windowMs;

/**
 * Of windows newest first, the newest of each slot (windows ending in ((k − 1)·slot, k·slot], slots
 * aligned to multiples of their width since the epoch, so a later read keeps the same windows), with
 * all its rows: every version's figures of one window, never a mix of windows. The newest `points`
 * slots are kept (a span off the slots' edges may so lose its oldest, partial slot).
 */
export function newestPerSlot<T extends { windowEnd: Date }[]>(windows: T[], slotMs: number, points: number): T[] {
  const kept: T[] = [];
  let last: number | undefined;
  for (const w of windows) {
    const slot = Math.ceil(w[0].windowEnd.getTime() / slotMs);
    if (slot === last) continue;
    if (kept.length === points) break;
    kept.push(w);
    last = slot;
  }
  return kept;
}

function checkSpan(from: Date, to: Date): void {
  if (!(from < to))
    throw new MonitoringError(MonitoringErrorCode.WINDOW_INVALID, 'Invalid comparison window', [
      { field: 'from', message: 'must be before to' },
    ]);
  if (to.getTime() - from.getTime() > MAX_COMPARISON_MS)
    throw new MonitoringError(MonitoringErrorCode.WINDOW_TOO_LONG, 'Comparison window too long', [
      { field: 'to', message: `must be at most ${MAX_COMPARISON_MS / DAY_MS} days after from` },
    ]);
}

function windowOf(rows: MonitoringResult[]): ComparisonWindowDto {
  const byVersion = new Map<number, MonitoringResult[]>();
  for (const r of rows) byVersion.set(r.version, [...(byVersion.get(r.version) ?? []), r]);
  return {
    windowStart: rows[0].windowStart.toISOString(),
    windowEnd: rows[0].windowEnd.toISOString(),
    versions: [...byVersion.entries()].sort(([a], [b]) => a - b).map(([version, own]) => versionOf(version, own)),
  };
}

function versionOf(version: number, rows: MonitoringResult[]): VersionFiguresDto {
  const stat = (name: string) => rows.find((r) => r.statistic === name);
  const share = stat('labelled_share');
  const counts = (share?.details ?? {}) as {
    predictions?: number;
    labelled?: number;
    byAlias?: Record<string, number>;
  };
  const aliases = Object.keys(counts.byAlias ?? {}).sort();
  const realised = withPrefix(rows, 'realised_');
  const estimated = withPrefix(rows, 'estimated_');
  const shadow = shadowOf(rows);
  return {
    version,
    aliases,
    traffic: shadow || (aliases.length === 1 && aliases[0] === 'shadow') ? 'shadowed' : 'own',
    predictions: counts.predictions ?? null,
    labelled: counts.labelled ?? null,
    labelledShare: share?.value ?? null,
    labelDelayP50Seconds: stat('label_delay_p50_seconds')?.value ?? null,
    labelDelayP90Seconds: stat('label_delay_p90_seconds')?.value ?? null,
    realised: figures(realised),
    realisedInsufficient: realised.some((r) => r.verdict === INSUFFICIENT_DATA),
    estimated: figures(estimated),
    paired: realised.length > 0 && estimated.length > 0,
    ...(shadow ? { shadow } : {}),
  };
}

function shadowOf(rows: MonitoringResult[]): ShadowComparisonDto | undefined {
  const pairs = rows.find((r) => r.statistic === 'shadow_pairs');
  if (!pairs) return undefined;
  const value = (name: string) => rows.find((r) => r.statistic === name)?.value ?? null;
  return {
    productionVersion: Number(pairs.details?.productionVersion),
    pairs: pairs.value ?? 0,
    labelledPairs: value('shadow_labelled_pairs') ?? 0,
    agreement: value('shadow_agreement'),
    valueDiffMean: value('shadow_value_diff_mean'),
    probabilityDiffMean: value('shadow_probability_diff_mean'),
    probabilityDiffP90: value('shadow_probability_diff_p90'),
    shadowRealised: figures(withPrefix(rows, 'shadow_realised_')),
    productionRealised: figures(withPrefix(rows, 'shadow_production_realised_')),
  };
}

/** The rows of one prefix, keyed by the rest of their statistic's name. */
function withPrefix(rows: MonitoringResult[], prefix: string): MonitoringResult[] {
  return rows
    .filter((r) => r.statistic.startsWith(prefix) && r.column === '')
    .map((r) => ({ ...r, statistic: r.statistic.slice(prefix.length) }));
}

function figures(rows: MonitoringResult[]): Record<string, number | null> {
  return Object.fromEntries(rows.map((r) => [r.statistic, r.value]));
}
