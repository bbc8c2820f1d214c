import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { ModelRegistryService } from '../../registry';
import { withAdvisoryLock } from '../../database/advisory-lock';
import { EventBus } from '../../events';
import { BucketRollups, type RollupSummary } from '../buckets/bucket-rollups.service';
import { announceWritten } from '../results/results-written.event';
import { AlignedWindows } from './aligned-windows';
import { WindowComputer } from './window-computer.service';
import { scheduledWindow, servedVersions, type ServedVersion, type Window } from './window-plan';

/** The advisory lock that makes one scheduled computation at a time across workers. */
const WINDOWS_LOCK = 2_000_020_002;
const RETENTION_SWEEP_MS = 3_600_000;
const MODELS_PAGE = 100;

export interface WindowJobSummary {
  window: { from: string; to: string };
  versions: number;
  rows: number;
  failed: { model: string; version: number; error: string }[];
  /** Epoch-aligned windows written this tick (each once, after it ended), and their rows. */
  aligned: { windows: number; rows: number };
  swept?: { results: number; replicaCounts: number };
  /** The hourly roll-ups made this tick (absent when they failed: the windows are read from minutes then). */
  rollups?: RollupSummary;
}

/**
 * One tick of the scheduled window job: the window ending at the last flushed minute, computed for
 * every version an alias names, under an advisory lock so workers never compute it twice at once
 * (a repeated window is an upsert anyway). A version that fails (an unreadable bundle) is logged
 * and skipped; the others are written. Then each epoch-aligned window owed (`AlignedWindows`: ended,
 * flushed, not written yet), with the same rows, so estimates pair with realised quality window
 * by window. First folds finished hours of buckets into their roll-ups (under the same lock), and
 * sweeps old results and replica counts, hourly.
 */
@Injectable()
export class WindowJob {
  private readonly logger = new Logger(WindowJob.name);
  private lastSweep = 0;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly registry: ModelRegistryService,
    private readonly computer: WindowComputer,
    private readonly config: AppConfig,
    private readonly rollups: BucketRollups,
    private readonly aligned: AlignedWindows,
    private readonly events: EventBus,
  ) {}

  /** Null when another worker is computing. */
  run(now = new Date()): Promise<WindowJobSummary | null> {
    return withAdvisoryLock(this.ds, WINDOWS_LOCK, () => this.runLocked(now));
  }

  async inService(): Promise<ServedVersion[]> {
    const models: { name: string; aliases: Record<string, number> }[] = [];
    for (let offset = 0; ; offset += MODELS_PAGE) {
      const page = await this.registry.listModels(MODELS_PAGE, offset);
      models.push(...page);
      if (page.length < MODELS_PAGE) return servedVersions(models);
    }
  }

  private async runLocked(now: Date): Promise<WindowJobSummary> {
    const env = this.config.env;
    const window = scheduledWindow(now, env.MONITORING_WINDOW_MS, 2 * env.INFERENCE_LOG_FLUSH_MS + 1000);
    const summary: WindowJobSummary = {
      window: { from: window.from.toISOString(), to: window.to.toISOString() },
      versions: 0,
      rows: 0,
      failed: [],
      aligned: { windows: 0, rows: 0 },
    };
    try {
      summary.rollups = await this.rollups.rollUp(now);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'bucket roll-ups failed; windows read the minute buckets');
    }
    const served = await this.inService();
    for (const v of served) {
      const rows = await this.computeVersion(summary, v, window, [v.version]);
      if (rows !== null) {
        summary.versions++;
        summary.rows += rows;
      }
    }
    // A version that failed just now (an unreadable bundle) is not tried again for its aligned windows.
    const working = served.filter((v) => !summary.failed.some((f) => f.model === v.model && f.version === v.version));
    const { MONITORING_WINDOW_MS: windowMs, MONITORING_REALISED_LOOKBACK_MS: lookbackMs } = env;
    for (const w of await this.aligned.pending(working, window.to, windowMs, lookbackMs)) {
      const rows = await this.computeVersion(summary, { model: w.model, version: w.version }, w, []);
      if (rows !== null) {
        summary.aligned.windows++;
        summary.aligned.rows += rows;
      }
    }
    if (now.getTime() - this.lastSweep >= RETENTION_SWEEP_MS) summary.swept = await this.sweep(now);
    return summary;
  }

  /** One version's window computed and stored: its rows, or null when it failed (reported in the summary). */
  private async computeVersion(
    summary: WindowJobSummary,
    v: { model: string; version: number },
    window: Window,
    expected: number[],
  ): Promise<number | null> {
    try {
      const [computed] = await this.computer.compute({ model: v.model, version: v.version, ...window, expected });
      if (computed) announceWritten(this.events, 'drift', v, window);
      return computed?.results.length ?? 0;
    } catch (err) {
      summary.failed.push({ model: v.model, version: v.version, error: (err as Error).message });
      return null;
    }
  }

  /** Deletes results and replica counts older than MONITORING_RESULTS_RETENTION_DAYS (0 keeps them). */
  async sweep(now = new Date()): Promise<{ results: number; replicaCounts: number } | undefined> {
    const days = this.config.env.MONITORING_RESULTS_RETENTION_DAYS;
    if (days === 0) return undefined;
    const before = new Date(now.getTime() - days * 86_400_000);
    const [, results] = await this.ds.query<[unknown, number]>('DELETE FROM monitoring.results WHERE window_end < $1', [
      before,
    ]);
    const [, replicaCounts] = await this.ds.query<[unknown, number]>(
      'DELETE FROM monitoring.replica_counts WHERE minute < $1',
      [before],
    );
    this.lastSweep = now.getTime();
    if (results || replicaCounts) this.logger.log({ results, replicaCounts, before }, 'old monitoring results swept');
    return { results, replicaCounts };
  }
}
