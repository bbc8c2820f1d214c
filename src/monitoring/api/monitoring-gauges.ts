import { Injectable, Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { withTimeout } from '../../common/with-timeout';
import { AppConfig } from '../../config/app-config';
import { DATASET_COLUMN, DRIFT_STATISTIC, type MonitoringResult } from '../results/monitoring-results';
import { ResultsSeries } from '../results/results-series';
import { WindowJob } from '../windows/window-job.service';

/** A scrape waits at most this long for the newest results; past it the gauges keep their last values. */
const READ_TIMEOUT_MS = 2_000;
/** Scrapes within this long of a refresh share it (several Prometheus servers, or a fast one). */
const REFRESH_EVERY_MS = 5_000;

/**
 * The newest drift verdicts and statistics and estimated quality as Prometheus gauges, read from
 * monitoring.results at scrape time: the window job runs on workers, another process, and writes
 * only PostgreSQL. Only versions an alias names and windows computed within three job intervals
 * count, so a version that leaves service (or a job that stopped) drops its series.
 */
@Injectable()
export class MonitoringGauges {
  private readonly logger = new Logger(MonitoringGauges.name);
  private readonly verdict: Gauge<'model' | 'version' | 'feature'>;
  private readonly statistic: Gauge<'model' | 'version' | 'feature' | 'test'>;
  private readonly datasetVerdict: Gauge<'model' | 'version'>;
  private readonly datasetShare: Gauge<'model' | 'version'>;
  private readonly estimated: Gauge<'model' | 'version' | 'metric'>;
  private refreshing: Promise<void> | null = null;
  private refreshedAt = 0;
  private failing = false;

  constructor(
    registry: Registry,
    private readonly series: ResultsSeries,
    private readonly job: WindowJob,
    private readonly config: AppConfig,
  ) {
    const registers = [registry];
    // Every gauge waits for the one shared refresh: prom-client collects them concurrently.
    const collect = () => this.refresh();
    this.verdict = new Gauge({
      name: 'mlapi_drift_verdict',
      help: 'Newest drift verdict per feature (`@prediction`: the model output): 1 drift, 0 no drift; absent without a verdict',
      labelNames: ['model', 'version', 'feature'],
      registers,
      collect,
    });
    this.statistic = new Gauge({
      name: 'mlapi_drift_statistic',
      help: 'Newest value of the drift test chosen per feature (`test`: ks, chisquare or z p-value; wasserstein or jensenshannon distance)',
      labelNames: ['model', 'version', 'feature', 'test'],
      registers,
      collect,
    });
    this.datasetVerdict = new Gauge({
      name: 'mlapi_drift_dataset_verdict',
      help: 'Newest dataset drift verdict (a share of drifted features ≥ MONITORING_DRIFT_SHARE): 1 drift, 0 no drift',
      labelNames: ['model', 'version'],
      registers,
      collect,
    });
    this.datasetShare = new Gauge({
      name: 'mlapi_drift_dataset_share_ratio',
      help: 'Share of features drifted in the newest window',
      labelNames: ['model', 'version'],
      registers,
      collect,
    });
    this.estimated = new Gauge({
      name: 'mlapi_estimated_quality',
      help: 'Newest CBPE estimate of the model quality before labels (metric: accuracy, precision, recall, f1, roc_auc), ratio',
      labelNames: ['model', 'version', 'metric'],
      registers,
      collect,
    });
  }

  /** Reads the newest results once per REFRESH_EVERY_MS, bounded by READ_TIMEOUT_MS; a failure keeps the last values. */
  refresh(now = Date.now()): Promise<void> {
    if (this.refreshing) return this.refreshing;
    if (now - this.refreshedAt < REFRESH_EVERY_MS) return Promise.resolve();
    const read = this.read(now);
    read.catch(() => undefined);
    this.refreshing = withTimeout(read, READ_TIMEOUT_MS, 'monitoring results not read')
      .then(
        (rows) => {
          this.apply(rows.drift, rows.estimated, rows.served);
          this.refreshedAt = now;
          this.failing = false;
        },
        (err: Error) => {
          if (!this.failing) this.logger.warn({ err: err.message }, 'drift gauges kept stale: results not read');
          this.failing = true;
        },
      )
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async read(now: number) {
    const since = new Date(now - 3 * this.config.env.MONITORING_WINDOW_INTERVAL_MS - 60_000);
    const [served, drift, estimated] = await Promise.all([
      this.job.inService(),
      this.series.latestAll(DRIFT_STATISTIC, since),
      this.series.latestAll({ prefix: 'estimated_' }, since),
    ]);
    return { served: new Set(served.map((s) => `${s.model}@${s.version}`)), drift, estimated };
  }

  private apply(drift: MonitoringResult[], estimated: MonitoringResult[], served: Set<string>): void {
    for (const g of [this.verdict, this.statistic, this.datasetVerdict, this.datasetShare, this.estimated]) g.reset();
    const inService = (r: MonitoringResult) => served.has(`${r.model}@${r.version}`);
    for (const r of drift.filter(inService)) {
      const labels = { model: r.model, version: String(r.version) };
      const decided = r.verdict === 'drift' || r.verdict === 'no_drift';
      if (r.column === DATASET_COLUMN) {
        if (decided) this.datasetVerdict.set(labels, r.verdict === 'drift' ? 1 : 0);
        if (r.value !== null) this.datasetShare.set(labels, r.value);
        continue;
      }
      if (!decided) continue;
      this.verdict.set({ ...labels, feature: r.column }, r.verdict === 'drift' ? 1 : 0);
      const test = typeof r.details?.test === 'string' ? r.details.test : 'unknown';
      if (r.value !== null) this.statistic.set({ ...labels, feature: r.column, test }, r.value);
    }
    for (const r of estimated.filter(inService))
      if (r.value !== null && r.column === DATASET_COLUMN)
        this.estimated.set({ model: r.model, version: String(r.version), metric: r.statistic.slice(10) }, r.value);
  }
}
