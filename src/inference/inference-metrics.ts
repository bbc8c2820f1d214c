import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { HotHistogram } from '../common/hot-histogram';
import { MetricChildren } from '../common/metric-children';
import { PredictionLog } from './prediction-log/prediction-log.service';

export type Outcome = 'ok' | 'invalid' | 'error';
export type Protocol = 'predict' | 'mlflow' | 'v2';

type Inc = { inc(n?: number): void };
type Observe = { observe(v: number): void };

/** The label values naming a served version. */
interface VersionLabels {
  model: string;
  version: string;
}

/** One label set of the per-request families: its labels and its prom-client children, made on first use. */
interface RequestSeries extends VersionLabels {
  /** Its key among the series (also its key in the HotHistograms: one series of each per label set). */
  key: string;
  alias: string;
  protocol?: Protocol;
  outcome: Outcome;
  predictions?: Inc;
  latency?: Observe;
  records?: Observe;
}

/** The alias label of a request that named a version instead of an alias. */
export const NO_ALIAS = 'none';

/**
 * Inference's Prometheus metrics, on the app's one registry (injected as prom-client's Registry
 * by the global MetricsModule). Labelled children are cached by a string key (MetricChildren).
 * Label values come from resolved model versions only (the version and alias that answered),
 * never from a raw URL, so a scan of random model names cannot blow up the series count; a
 * version's series are removed when it leaves the model cache (`forgetVersion`), so they stay
 * bounded by INFERENCE_CACHE_SIZE versions.
 */
@Injectable()
export class InferenceMetrics {
  private readonly predictions: Counter<'model' | 'version' | 'alias' | 'outcome'>;
  private readonly latency: HotHistogram;
  private readonly requestRecords: HotHistogram;
  private readonly batchSize: Histogram<'model' | 'version'>;
  private readonly unknown: Counter<'model' | 'feature'>;
  private readonly loadFailures: Counter<'model'>;
  private readonly series = new MetricChildren<RequestSeries>();
  private readonly batches = new MetricChildren<VersionLabels & { child: Observe }>();
  private readonly unknownChildren = new MetricChildren<Inc>();

  constructor(
    /** The app's registry, for the serving code's own metrics (LastKnownGood). */
    readonly registry: Registry,
    log: PredictionLog,
  ) {
    const registers = [registry];
    this.predictions = new Counter({
      name: 'mlapi_predictions_total',
      help: 'Records predicted (outcome ok) or refused (invalid: 422; error: the model failed), by the version and alias that answered (alias none: a version was named)',
      labelNames: ['model', 'version', 'alias', 'outcome'],
      registers,
    });
    // The per-request families are HotHistograms: a predict is ~50 µs, prom-client's children ~0.4 µs an observation.
    this.latency = new HotHistogram({
      name: 'mlapi_predict_request_duration_seconds',
      help: 'Predict request time inside the app (after routing and auth, until the answer is built), by the version and alias that answered, protocol and outcome',
      buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.requestRecords = new HotHistogram({
      name: 'mlapi_predict_request_records',
      help: "Records per answered predict request (the client's batch), by the version and alias that answered",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'mlapi_inference_batch_rows',
      help: 'Rows per tfjs predict call of a version (the micro-batcher joins concurrent requests, whatever alias they came through)',
      labelNames: ['model', 'version'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096],
      registers,
    });
    this.unknown = new Counter({
      name: 'mlapi_unknown_categories_total',
      help: 'Predicted records whose category value the model never saw (encoded as unknown), per feature',
      labelNames: ['model', 'feature'],
      registers,
    });
    this.loadFailures = new Counter({
      name: 'mlapi_model_load_failures_total',
      help: 'Model bundles that could not be loaded',
      labelNames: ['model'],
      registers,
    });
    // Read from the log's own counters at scrape time: nothing to keep in step on the hot path.
    new Counter({
      name: 'mlapi_prediction_log_dropped_total',
      help: 'Predictions not logged because the write-behind buffer was full (database slow or down)',
      registers,
      collect() {
        this.reset();
        this.inc(log.stats().dropped);
      },
    });
    new Counter({
      name: 'mlapi_prediction_log_written_total',
      help: 'Predictions written to the prediction log',
      registers,
      collect() {
        this.reset();
        this.inc(log.stats().written);
      },
    });
    new Counter({
      name: 'mlapi_prediction_log_failed_flushes_total',
      help: 'Prediction log flushes that failed (rows kept and retried)',
      registers,
      collect() {
        this.reset();
        this.inc(log.stats().failedFlushes);
      },
    });
    new Gauge({
      name: 'mlapi_prediction_log_buffered',
      help: 'Predictions waiting in memory to be written to the prediction log',
      registers,
      collect() {
        this.set(log.stats().buffered);
      },
    });
  }

  predicted(model: string, version: number, alias: string | null, outcome: Outcome, records: number): void {
    const s = this.request(model, version, alias, undefined, outcome);
    (s.predictions ??= this.predictions.labels(s.model, s.version, s.alias, outcome)).inc(records);
    if (outcome === 'ok') (s.records ??= this.requestRecords.series(s.key, () => versionAlias(s))).observe(records);
  }

  requestTime(
    model: string,
    version: number,
    alias: string | null,
    protocol: Protocol,
    outcome: Outcome,
    seconds: number,
  ): void {
    const s = this.request(model, version, alias, protocol, outcome);
    (s.latency ??= this.latency.series(s.key, () => ({ ...versionAlias(s), protocol, outcome }))).observe(seconds);
  }

  batch(model: string, version: number, rows: number): void {
    this.batches
      .get(`${model}|${version}`, () => {
        const v = String(version);
        return { model, version: v, child: this.batchSize.labels(model, v) };
      })
      .child.observe(rows);
  }

  unknownCategory(model: string, feature: string): void {
    this.unknownChildren.get(`${model}|${feature}`, () => this.unknown.labels(model, feature)).inc();
  }

  loadFailed(model: string): void {
    this.loadFailures.inc({ model });
  }

  /** Removes a version's series (it left the model cache): a served-version label set does not outlive serving. */
  forgetVersion(model: string, version: number): void {
    const v = String(version);
    const mine = (s: { readonly model?: string; readonly version?: string }) => s.model === model && s.version === v;
    this.series.forget(mine, (s) => {
      if (s.predictions) this.predictions.remove(s.model, s.version, s.alias, s.outcome);
    });
    this.latency.forget(mine);
    this.requestRecords.forget(mine);
    this.batches.forget(mine, (s) => this.batchSize.remove(s.model, s.version));
  }

  /** The series of one label set (`protocol` undefined for the families without it). */
  private request(
    model: string,
    version: number,
    alias: string | null,
    protocol: Protocol | undefined,
    outcome: Outcome,
  ): RequestSeries {
    const key = `${model}|${version}|${alias ?? ''}|${protocol ?? ''}|${outcome}`;
    return this.series.get(key, () => ({
      key,
      model,
      version: String(version),
      alias: alias ?? NO_ALIAS,
      protocol,
      outcome,
    }));
  }
}

/** The labels a request's series share with the records-per-request family. */
function versionAlias(s: RequestSeries): Record<string, string> {
  return { model: s.model, version: s.version, alias: s.alias };
}
