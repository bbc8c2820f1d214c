import { Injectable, Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { withTimeout } from '../../common/with-timeout';
import { AppConfig } from '../../config/app-config';
import { DATASET_COLUMN, DRIFT_STATISTIC, type MonitoringResult } from '../results/monitoring-results';
import { ResultsSeries } from '../results/results-series';
import { INSUFFICIENT_DATA } from '../quality/realised-quality.job';
import { WindowJob } from '../windows/window-job.service';

/** A scrape waits at most this long for the newest results; past it the gauges read NaN. */
const READ_TIMEOUT_MS = 2_000;
/** Scrapes within this long of a refresh share it (several Prometheus servers, or a fast one). */
const REFRESH_EVERY_MS = 5_000;
const ESTIMATED = 'estimated_';
const REALISED = 'realised_';

type VersionLabels = { model: string; version: string };
type Read = { rows: MonitoringResult[]; served: Set<string> };

/**
 * The newest drift verdicts and statistics, estimated and realised quality, the labelled share and
 * the shadow's comparison with production as Prometheus gauges, read from monitoring.results at
 * scrape time in one query: the window and realised-quality jobs run on workers, another process,
 * and write only PostgreSQL. Only versions an alias names count, and only windows recent enough for
 * their job (three intervals), so a version that leaves service (or a job that stopped) drops its
 * series. A figure without a value (`insufficient_data`) has no sample. A read that fails or takes
 * longer than READ_TIMEOUT_MS leaves the last series in place with NaN, as `mlapi_alerts_firing` does.
 */
@Injectable()
export class MonitoringGauges {
  private readonly logger = new Logger(MonitoringGauges.name);
  private readonly verdict: Gauge<'model' | 'version' | 'feature'>;
  private readonly statistic: Gauge<'model' | 'version' | 'feature' | 'test'>;
  private readonly datasetVerdict: Gauge<'model' | 'version'>;
  private readonly datasetShare: Gauge<'model' | 'version'>;
  private readonly estimated: Gauge<'model' | 'version' | 'metric'>;
  private readonly realised: Gauge<'model' | 'version' | 'metric'>;
  /** Gauges of one dataset-level statistic each, keyed by it. */
  private readonly byStatistic = new Map<string, Gauge<'model' | 'version'>>();
  private readonly all: Gauge<string>[];
  private refreshing: Promise<void> | null = null;
  private refreshedAt = 0;
  private last: Read = { rows: [], served: new Set() };
  private failing = false;

  constructor(
    registry: Registry,
    private readonly series: ResultsSeries,
    private readonly job: WindowJob,
    private readonly config: AppConfig,
  ) {
    // Every gauge waits for the one shared refresh: prom-client collects them concurrently.
    const gauge = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Gauge<L>({ name, help, labelNames, registers: [registry], collect: () => this.refresh() });
    const perVersion = (statistic: string, name: string, help: string) =>
      this.byStatistic.set(statistic, gauge(name, help, ['model', 'version']));
    this.verdict = gauge(
      'mlapi_drift_verdict',
      'Newest drift verdict per feature (`@prediction`: the model output): 1 drift, 0 no drift; absent without a verdict',
      ['model', 'version', 'feature'],
    );
    this.statistic = gauge(
      'mlapi_drift_statistic',
      'Newest value of the drift test chosen per feature (`test`: ks, chisquare or z p-value; wasserstein or jensenshannon distance)',
      ['model', 'version', 'feature', 'test'],
    );
    this.datasetVerdict = gauge(
      'mlapi_drift_dataset_verdict',
      'Newest dataset drift verdict (a share of drifted features ≥ MONITORING_DRIFT_SHARE): 1 drift, 0 no drift',
      ['model', 'version'],
    );
    this.datasetShare = gauge('mlapi_drift_dataset_share_ratio', 'Share of features drifted in the newest window', [
      'model',
      'version',
    ]);
    this.estimated = gauge(
      'mlapi_estimated_quality',
      'Newest CBPE estimate of the model quality before labels (metric: accuracy, precision, recall, f1, roc_auc), ratio',
      ['model', 'version', 'metric'],
    );
    this.realised = gauge(
      'mlapi_realised_quality',
      'Quality from feedback labels over the newest ended window (metric: accuracy, precision, recall, f1, roc_auc; rmse, mae, r2 for regression); absent below MONITORING_REALISED_MIN_LABELLED labels',
      ['model', 'version', 'metric'],
    );
    perVersion(
      'labelled_share',
      'mlapi_realised_labelled_share',
      'Share of the newest ended window’s predictions that have a feedback label',
    );
    perVersion(
      'shadow_agreement',
      'mlapi_shadow_agreement',
      'Share of the requests a shadow version scored with the same predicted class as production (newest ended window; classification)',
    );
    perVersion(
      'shadow_probability_diff_mean',
      'mlapi_shadow_probability_diff_mean',
      'Mean total variation distance between a shadow’s and production’s class probabilities on the same requests (binary: |Δ P(positive)|), newest ended window',
    );
    this.all = [this.verdict, this.statistic, this.datasetVerdict, this.datasetShare, this.estimated, this.realised];
    this.all.push(...this.byStatistic.values());
  }

  /** Reads the newest results once per REFRESH_EVERY_MS, bounded by READ_TIMEOUT_MS; a failure sets the last series to NaN. */
  refresh(now = Date.now()): Promise<void> {
    if (this.refreshing) return this.refreshing;
    if (now - this.refreshedAt < REFRESH_EVERY_MS) return Promise.resolve();
    const read = this.read(now);
    read.catch(() => undefined);
    this.refreshing = withTimeout(read, READ_TIMEOUT_MS, 'monitoring results not read')
      .then(
        (fresh) => {
          this.apply(fresh, false);
          this.last = fresh;
          this.refreshedAt = now;
          this.failing = false;
        },
        (err: Error) => {
          this.apply(this.last, true);
          if (!this.failing) this.logger.warn({ err: err.message }, 'monitoring gauges NaN: results not read');
          this.failing = true;
        },
      )
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async read(now: number): Promise<Read> {
    const env = this.config.env;
    // A window job result is fresh for three of its intervals; a realised window ends up to a
    // window before its run (only ended windows are computed), then three realised intervals.
    const windowSince = new Date(now - 3 * env.MONITORING_WINDOW_INTERVAL_MS - 60_000);
    const realisedSince = new Date(now - env.MONITORING_WINDOW_MS - 3 * env.MONITORING_REALISED_INTERVAL_MS - 60_000);
    const [served, rows] = await Promise.all([
      this.job.inService(),
      this.series.latestAll([
        { statistics: [DRIFT_STATISTIC], prefixes: [ESTIMATED], since: windowSince },
        { statistics: [...this.byStatistic.keys()], prefixes: [REALISED], since: realisedSince },
      ]),
    ]);
    return { served: new Set(served.map((s) => `${s.model}@${s.version}`)), rows };
  }

  private apply({ rows, served }: Read, failed: boolean): void {
    for (const g of this.all) g.reset();
    const valueOf = (value: number) => (failed ? NaN : value);
    for (const r of rows) {
      if (!served.has(`${r.model}@${r.version}`)) continue;
      const labels = { model: r.model, version: String(r.version) };
      if (r.statistic === DRIFT_STATISTIC) this.applyDrift(r, labels, valueOf);
      else if (r.column !== DATASET_COLUMN || r.value === null || r.verdict === INSUFFICIENT_DATA) continue;
      else if (r.statistic.startsWith(ESTIMATED))
        this.estimated.set({ ...labels, metric: r.statistic.slice(ESTIMATED.length) }, valueOf(r.value));
      else if (r.statistic.startsWith(REALISED))
        this.realised.set({ ...labels, metric: r.statistic.slice(REALISED.length) }, valueOf(r.value));
      else this.byStatistic.get(r.statistic)?.set(labels, valueOf(r.value));
    }
  }

  private applyDrift(r: MonitoringResult, labels: VersionLabels, valueOf: (v: number) => number): void {
    const decided = r.verdict === 'drift' || r.verdict === 'no_drift';
    const verdict = valueOf(r.verdict === 'drift' ? 1 : 0);
    if (r.column === DATASET_COLUMN) {
      if (decided) this.datasetVerdict.set(labels, verdict);
      if (r.value !== null) this.datasetShare.set(labels, valueOf(r.value));
      return;
    }
    if (!decided) return;
    this.verdict.set({ ...labels, feature: r.column }, verdict);
    const test = typeof r.details?.test === 'string' ? r.details.test : 'unknown';
    if (r.value !== null) this.statistic.set({ ...labels, feature: r.column, test }, valueOf(r.value));
  }
}
