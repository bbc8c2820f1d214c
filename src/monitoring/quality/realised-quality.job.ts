import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { withAdvisoryLock } from '../../database/advisory-lock';
import { EventBus } from '../../events';
import { MAX_PAGE_SIZE, PredictionReader, type LogWindow, type Page, type PageRequest } from '../../inference';
import { DATASET_COLUMN, MonitoringResults, type MonitoringResult } from '../results/monitoring-results';
import { announceWritten } from '../results/results-written.event';
import { RealisedTally, type RealisedFigures } from './realised-tally';
import { ShadowTally, type ShadowComparison } from './shadow-tally';
import { VersionsInService, type ServedVersion } from './versions-in-service';
import { recentWindows } from '../windows/window-plan';

/** The advisory lock that makes one realised-quality run at a time across workers (any fixed int8). */
const REALISED_LOCK = 2_000_020_003;
/** The verdict of a figure made from fewer labelled predictions than MONITORING_REALISED_MIN_LABELLED. */
export const INSUFFICIENT_DATA = 'insufficient_data';

export interface RealisedRunSummary {
  windows: number;
  versions: number;
  rows: number;
}

/**
 * Realised quality (docs/architecture.md, "Realised quality and the shadow comparison"): for each
 * version in service and each window of the lookback, the window's predictions joined to their
 * feedback (a shadow's through the prediction it shadows) give `realised_<metric>`,
 * `labelled_share` and the label delay; for a shadow version, its records against the production
 * predictions they shadowed give `shadow_*`. Every window of the lookback is written again each run
 * (labels arrive late; the rows are upserts). Pages through the log and aggregates as it goes.
 */
@Injectable()
export class RealisedQualityJob {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly reader: PredictionReader,
    private readonly results: MonitoringResults,
    private readonly served: VersionsInService,
    private readonly events: EventBus,
  ) {}

  /** Null when another worker is running it. */
  run(now = new Date()): Promise<RealisedRunSummary | null> {
    return withAdvisoryLock(this.ds, REALISED_LOCK, () => this.runLocked(now));
  }

  private async runLocked(now: Date): Promise<RealisedRunSummary> {
    const env = this.config.env;
    const windows = recentWindows(now.getTime(), env.MONITORING_WINDOW_MS, env.MONITORING_REALISED_LOOKBACK_MS);
    const versions = await this.served.list();
    let rows = 0;
    for (const w of windows)
      for (const v of versions) {
        const window = { model: v.model, version: v.version, from: w.from, to: w.to };
        const written = [...(await this.realised(v, window)), ...(await this.shadow(v, window))];
        await this.results.write(written);
        if (written.length) announceWritten(this.events, 'realised', v, w);
        rows += written.length;
      }
    return { windows: windows.length, versions: versions.length, rows };
  }

  /** A version's realised rows over one window; none when it logged no prediction there. */
  private async realised(v: ServedVersion, window: LogWindow): Promise<MonitoringResult[]> {
    const summary = await this.reader.labelSummary(window);
    if (summary.predictions === 0) return [];
    const tally = new RealisedTally(v);
    await eachPage(
      (page) => this.reader.labelled(window, page),
      (p) => tally.add(p.output, p.label),
    );
    const row = rowOf(v, window);
    const counts = { predictions: summary.predictions, labelled: summary.labelled, byAlias: summary.byAlias };
    return [
      ...this.figureRows(row, 'realised_', tally.figures(), counts),
      row('labelled_share', summary.labelled / summary.predictions, null, counts),
      row('label_delay_p50_seconds', summary.delayP50Seconds, null, { ...counts, quantile: 0.5 }),
      row('label_delay_p90_seconds', summary.delayP90Seconds, null, { ...counts, quantile: 0.9 }),
    ];
  }

  /**
   * A shadow version's comparison with the production predictions it shadowed over one window.
   * Pairs whose answered prediction was another alias's (a canary's) are counted in the details only.
   */
  private async shadow(v: ServedVersion, window: LogWindow): Promise<MonitoringResult[]> {
    if (!v.aliases.includes('shadow')) return [];
    const byAnswered = new Map<string, { alias: string | null; version: number; tally: ShadowTally }>();
    await eachPage(
      (page) => this.reader.shadowPairs(window, page),
      (p) => {
        const key = `${p.answered.alias ?? ''}@${p.answered.version}`;
        let group = byAnswered.get(key);
        if (!group) {
          group = { alias: p.answered.alias, version: p.answered.version, tally: new ShadowTally(v) };
          byAnswered.set(key, group);
        }
        group.tally.add(p.output, p.answered.output, p.label);
      },
    );
    const groups = [...byAnswered.values()].map((g) => ({ ...g, result: g.tally.result() }));
    const production = groups
      .filter((g) => g.alias === 'production')
      .sort((a, b) => b.result.pairs - a.result.pairs)[0];
    if (!production) return [];
    const others = groups
      .filter((g) => g !== production)
      .map((g) => ({ alias: g.alias, version: g.version, pairs: g.result.pairs }));
    return this.shadowRows(rowOf(v, window), production.version, production.result, others);
  }

  private shadowRows(
    row: RowMaker,
    productionVersion: number,
    c: ShadowComparison,
    others: { alias: string | null; version: number; pairs: number }[],
  ): MonitoringResult[] {
    const details = { productionVersion, pairs: c.pairs, labelledPairs: c.labelledPairs, otherAnswered: others };
    const figures = [
      row('shadow_pairs', c.pairs, null, details),
      row('shadow_labelled_pairs', c.labelledPairs, null, details),
    ];
    if (c.agreement !== null)
      figures.push(row('shadow_agreement', c.agreement, null, { ...details, method: 'same predicted class' }));
    if (c.valueDiffMean !== null)
      figures.push(row('shadow_value_diff_mean', c.valueDiffMean, null, { ...details, method: 'mean |Δ value|' }));
    const tv = { ...details, method: 'total variation distance ½Σ|p − q| (binary: |Δ P(positive)|)' };
    if (c.probabilityDiffMean !== null)
      figures.push(row('shadow_probability_diff_mean', c.probabilityDiffMean, null, tv));
    if (c.probabilityDiffP90 !== null)
      figures.push(row('shadow_probability_diff_p90', c.probabilityDiffP90, null, { ...tv, resolution: 0.001 }));
    const labelled = { ...details, predictions: c.pairs, labelled: c.labelledPairs };
    return [
      ...figures,
      ...this.figureRows(row, 'shadow_realised_', c.shadow, labelled),
      ...this.figureRows(row, 'shadow_production_realised_', c.answered, labelled),
    ];
  }

  /** One row per figure; below the minimum of labelled predictions the value moves to the details. */
  private figureRows(
    row: RowMaker,
    prefix: string,
    f: RealisedFigures,
    counts: Record<string, unknown>,
  ): MonitoringResult[] {
    const minimum = this.config.env.MONITORING_REALISED_MIN_LABELLED;
    const enough = f.n >= minimum;
    return Object.entries(f.figures).map(([metric, value]) => {
      const finite = Number.isFinite(value) ? value : null;
      const details = { ...counts, ...f.method, used: f.n, skipped: f.skipped, minimum };
      return enough
        ? row(`${prefix}${metric}`, finite, null, details)
        : row(`${prefix}${metric}`, null, INSUFFICIENT_DATA, { ...details, value: finite });
    });
  }
}

type RowMaker = (
  statistic: string,
  value: number | null,
  verdict: string | null,
  details: Record<string, unknown>,
) => MonitoringResult;

function rowOf(v: ServedVersion, window: LogWindow): RowMaker {
  return (statistic, value, verdict, details) => ({
    model: v.model,
    version: v.version,
    windowStart: window.from,
    windowEnd: window.to,
    column: DATASET_COLUMN,
    statistic,
    value,
    verdict,
    details,
  });
}

/** Reads every page of a paged read, handing each item to `each`; only one page is held at a time. */
async function eachPage<T>(read: (page: PageRequest) => Promise<Page<T>>, each: (item: T) => void): Promise<void> {
  let after: string | undefined;
  do {
    const page = await read({ after, limit: MAX_PAGE_SIZE });
    page.items.forEach(each);
    after = page.next ?? undefined;
  } while (after);
}
