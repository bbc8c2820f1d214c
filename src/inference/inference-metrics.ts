import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PredictionLog } from './prediction-log/prediction-log.service';

export type Outcome = 'ok' | 'invalid' | 'error';
export type Protocol = 'predict' | 'mlflow' | 'v2';

/**
 * Inference's Prometheus metrics, on the app's one registry (injected as prom-client's Registry
 * by the global MetricsModule). Labelled children are cached by a string key: prom-client hashes
 * a label object on every call, which the predict hot path would notice. Label values
 * come from resolved model versions only, never from a raw URL, so a scan of random model names
 * cannot blow up the series count.
 */
@Injectable()
export class InferenceMetrics {
  private readonly predictions: Counter<'model' | 'version' | 'alias' | 'outcome'>;
  private readonly latency: Histogram<'model' | 'protocol' | 'outcome'>;
  private readonly batchSize: Histogram<'model'>;
  private readonly unknown: Counter<'model' | 'feature'>;
  private readonly loadFailures: Counter<'model'>;
  private readonly children = new Map<string, { inc(n?: number): void } | { observe(v: number): void }>();

  constructor(
    /** The app's registry, for the serving code's own metrics (LastKnownGood). */
    readonly registry: Registry,
    log: PredictionLog,
  ) {
    const registers = [registry];
    this.predictions = new Counter({
      name: 'mlapi_predictions_total',
      help: 'Records predicted (outcome ok) or refused (invalid: 422; error: the model failed), by the version and alias that answered',
      labelNames: ['model', 'version', 'alias', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'mlapi_predict_request_duration_seconds',
      help: 'Predict request time inside the app (after routing and auth, until the answer is built), by protocol and outcome',
      labelNames: ['model', 'protocol', 'outcome'],
      buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'mlapi_inference_batch_rows',
      help: 'Rows per tfjs predict call (the micro-batcher joins concurrent requests)',
      labelNames: ['model'],
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
    this.counter(`p|${model}|${version}|${alias ?? ''}|${outcome}`, () =>
      this.predictions.labels(model, String(version), alias ?? '', outcome),
    ).inc(records);
  }

  requestTime(model: string, protocol: Protocol, outcome: Outcome, seconds: number): void {
    this.histogram(`l|${model}|${protocol}|${outcome}`, () => this.latency.labels(model, protocol, outcome)).observe(
      seconds,
    );
  }

  batch(model: string, rows: number): void {
    this.histogram(`b|${model}`, () => this.batchSize.labels(model)).observe(rows);
  }

  unknownCategory(model: string, feature: string): void {
    this.counter(`u|${model}|${feature}`, () => this.unknown.labels(model, feature)).inc();
  }

  loadFailed(model: string): void {
    this.loadFailures.inc({ model });
  }

  private counter(key: string, make: () => { inc(n?: number): void }): { inc(n?: number): void } {
    let child = this.children.get(key) as { inc(n?: number): void } | undefined;
    if (!child) this.children.set(key, (child = make()));
    return child;
  }

  private histogram(key: string, make: () => { observe(v: number): void }): { observe(v: number): void } {
    let child = this.children.get(key) as { observe(v: number): void } | undefined;
    if (!child) this.children.set(key, (child = make()));
    return child;
  }
}
