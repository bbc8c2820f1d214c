import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { AppConfig } from '../../config/app-config';
import { type BundleSignature, type Validation, isUnknownCategory, type CellValue } from '../../ml';
import { PRODUCTION_ALIAS } from '../../registry';
import type { PredictionDto, PredictResponseDto } from '../protocols/dto/predict.dto';
import { checkExplainable, explainPredictions } from './explain-output';
import { InferenceError, InferenceErrorCode, ModelUnloadableError } from '../inference.errors';
import { InferenceMetrics, type Protocol } from '../inference-metrics';
import type { LoadedModel, Prediction } from './loaded-model';
import { aliasOf, ModelCache, type Lease } from './model-cache.service';
import type { ModelRef } from './model-source';
import { readPredictBody, validationDetails, type PredictInput } from './predict-input';
import { newPredictionId } from '../prediction-log/prediction-id';
import type { AnsweredRequest } from '../prediction-log/log-rows';
import { PredictionLog } from '../prediction-log/prediction-log.service';
import { PredictionObservers } from './prediction-observer';
import { CANARY_ALIAS, parseCanary, parseShadow, SHADOW_ALIAS, takesCanary, type CanaryRule } from './traffic-split';

export type Values = Record<string, CellValue>;

/** What every protocol (native, MLflow, Open Inference v2) hands to `score`. */
export interface ScoreRequest {
  model: string;
  ref: ModelRef;
  /** The records, or how to read them once the version's signature is known (Open Inference v2). */
  input: PredictInput | ((signature: BundleSignature) => PredictInput);
  caller: string;
  protocol: Protocol;
}

/** A scored request: one prediction per record, in order, with the version that answered. */
export interface Scored<T = undefined> {
  model: string;
  version: number;
  alias: string | null;
  predictions: PredictionDto[];
  /** Whatever `extra` computed under the same lease (e.g. explanations). */
  extra: T;
}

/**
 * Serves predictions for every protocol: resolve the version, validate, predict (micro-batched),
 * answer, log, count. Protocol controllers only translate their envelopes to records and back.
 */
@Injectable()
export class PredictService {
  private readonly logger = new Logger(PredictService.name);
  private readonly logEnabled: boolean;
  private readonly sampleRate: number;
  private readonly canary: Map<string, CanaryRule>;
  private readonly shadowed: Set<string>;

  constructor(
    private readonly cache: ModelCache,
    private readonly log: PredictionLog,
    private readonly config: AppConfig,
    private readonly metrics: InferenceMetrics,
    private readonly observers: PredictionObservers,
  ) {
    this.logEnabled = config.env.INFERENCE_LOG_ENABLED && config.env.INFERENCE_LOG_SAMPLE_RATE > 0;
    this.sampleRate = config.env.INFERENCE_LOG_SAMPLE_RATE;
    this.canary = parseCanary(config.env.INFERENCE_CANARY);
    this.shadowed = parseShadow(config.env.INFERENCE_SHADOW);
  }

  /** The native protocol: `{features}` or `{instances}`. */
  async predict(
    model: string,
    ref: ModelRef,
    body: unknown,
    caller: string,
    explain = false,
  ): Promise<PredictResponseDto> {
    // The envelope first: a malformed or oversized body costs no model lookup.
    const input = readPredictBody(body, this.config.env.INFERENCE_MAX_BATCH);
    const req: ScoreRequest = { model, ref, input, caller, protocol: 'predict' };
    if (!explain) {
      const { version, alias, predictions } = await this.score(req);
      return { model, version, alias, predictions };
    }
    checkExplainable(input.records.length);
    const { version, alias, predictions, extra } = await this.score(req, explainPredictions);
    predictions.forEach((p, i) => (p.explanation = extra.explanations[i]));
    return { model, version, alias, predictions, explanationReference: extra.reference };
  }

  async score<T = undefined>(
    req: ScoreRequest,
    extra?: (loaded: LoadedModel, values: Values[], outputs: Prediction[]) => T,
  ): Promise<Scored<T>> {
    const started = performance.now();
    const lease = await this.route(req, started);
    let records: unknown[];
    let scored: Scored<T>;
    try {
      [scored, records] = await this.scoreWith(req, lease, started, extra);
    } finally {
      lease.release();
    }
    if (this.shadowed.has(req.model) && scored.alias !== SHADOW_ALIAS) {
      // Off the response path: the caller's answer never waits for, or depends on, the shadow.
      const answered = scored.predictions.map((p) => p.predictionId);
      setImmediate(() => void this.shadow(req, records, answered));
    }
    return scored;
  }

  /**
   * Production traffic (the default alias, asked for or implied) of a model with a canary rule
   * goes to the `canary` alias for its share, when that alias exists; everything else as asked.
   */
  private async route(req: ScoreRequest, started: number): Promise<Lease> {
    const rule = this.canary.get(req.model);
    const production = aliasOf(req.ref) === PRODUCTION_ALIAS;
    if (rule && production && takesCanary(rule, req.model, req.caller)) {
      const canary = await this.counted(req, CANARY_ALIAS, started, () =>
        this.cache.tryAcquire(req.model, CANARY_ALIAS),
      );
      if (canary) return canary;
    }
    return this.counted(req, aliasOf(req.ref), started, () => this.cache.acquire(req.model, req.ref));
  }

  /**
   * A version whose bundle cannot be loaded (answered 503) is counted as an `error` outcome of
   * that version: the caller asked and was failed, as when the model throws. A request whose
   * records are read only with the signature (Open Inference v2) counts as one record.
   */
  private async counted<L>(req: ScoreRequest, alias: string | null, started: number, acquire: () => Promise<L>) {
    try {
      return await acquire();
    } catch (err) {
      if (err instanceof ModelUnloadableError) {
        const records = typeof req.input === 'function' ? 1 : req.input.records.length;
        this.count(req.model, err.version, alias, req.protocol, 'error', records, started);
      }
      throw err;
    }
  }

  /**
   * Scores the same records with the `shadow` alias; logged with alias shadow, each record linked
   * to the prediction it shadows (`answered`, the caller's ids, in order), never returned.
   */
  private async shadow(req: ScoreRequest, records: unknown[], answered: string[]): Promise<void> {
    try {
      const lease = await this.cache.tryAcquire(req.model, SHADOW_ALIAS);
      if (!lease) return;
      try {
        const input: PredictInput = { records, form: 'instances' };
        await this.scoreWith(
          { ...req, ref: { alias: SHADOW_ALIAS }, input },
          lease,
          performance.now(),
          undefined,
          answered,
        );
      } finally {
        lease.release();
      }
    } catch (err) {
      // Counted by scoreWith (invalid: the shadow's signature refuses the records; error).
      this.logger.warn({ model: req.model, err: (err as Error).message }, 'shadow prediction failed');
    }
  }

  private async scoreWith<T>(
    req: ScoreRequest,
    lease: Lease,
    started: number,
    extra?: (loaded: LoadedModel, values: Values[], outputs: Prediction[]) => T,
    shadowOf?: string[],
  ): Promise<[Scored<T>, unknown[]]> {
    const { model, caller, protocol } = req;
    const { loaded, alias } = lease;
    const version = loaded.version;
    let input: PredictInput;
    try {
      input = typeof req.input === 'function' ? req.input(loaded.predictor.meta.signature) : req.input;
    } catch (err) {
      this.count(model, version, alias, protocol, 'invalid', 0, started);
      throw err;
    }
    const checked: Validation[] = input.records.map((r) => loaded.predictor.validate(r));
    const details = validationDetails(input, checked);
    if (details.length) {
      this.count(model, version, alias, protocol, 'invalid', input.records.length, started);
      throw new InferenceError(
        InferenceErrorCode.INVALID_MODEL_INPUT,
        `Invalid input for model ${model} version ${version}`,
        details,
      );
    }
    const values = checked.map((c) => (c as Extract<Validation, { ok: true }>).values);
    let outputs: Prediction[];
    let more: T;
    try {
      outputs = await loaded.predict(values);
      more = extra ? extra(loaded, values, outputs) : (undefined as T);
    } catch (err) {
      this.count(model, version, alias, protocol, 'error', values.length, started);
      throw err;
    }
    // One answer object per record, shared by the response and the log row.
    const answers = outputs.map(answer);
    const predictions = answers.map((a, i): PredictionDto => ({
      predictionId: newPredictionId(),
      ...a,
      unknownCategories: this.unknownCategories(loaded, values[i]),
      model,
      version,
      alias,
    }));
    const latencyMs = this.count(model, version, alias, protocol, 'ok', values.length, started);
    const at = Date.now();
    this.observers.observe({ model, version, alias, at, latencyMs, meta: loaded.predictor.meta, values, outputs });
    if (this.logEnabled)
      this.logPredictions(
        predictions,
        values,
        answers,
        { createdAt: at, model, version, alias, caller, latencyMs },
        shadowOf,
      );
    return [{ model, version, alias, predictions, extra: more }, input.records];
  }

  /** Appends the predictions to the log, each with probability INFERENCE_LOG_SAMPLE_RATE. */
  private logPredictions(
    predictions: PredictionDto[],
    values: Values[],
    answers: Answer[],
    request: Omit<AnsweredRequest, 'records'>,
    shadowOf?: string[],
  ): void {
    const records: AnsweredRequest['records'] = [];
    for (let i = 0; i < predictions.length; i++) {
      if (this.sampleRate < 1 && Math.random() >= this.sampleRate) continue;
      const record = { id: predictions[i].predictionId, features: values[i], output: answers[i] };
      records.push(shadowOf ? { ...record, shadowOf: shadowOf[i] } : record);
    }
    if (records.length) this.log.append({ ...request, records });
  }

  /** Counts the records and the request time; returns the time in ms (for the log). */
  private count(
    model: string,
    version: number,
    alias: string | null,
    protocol: Protocol,
    outcome: 'ok' | 'invalid' | 'error',
    records: number,
    started: number,
  ): number {
    const ms = performance.now() - started;
    this.metrics.predicted(model, version, alias, outcome, records);
    this.metrics.requestTime(model, version, alias, protocol, outcome, ms / 1000);
    return ms;
  }

  private unknownCategories(loaded: LoadedModel, values: Values): string[] {
    const preprocessing = loaded.predictor.meta.preprocessing;
    const out: string[] = [];
    for (const f of preprocessing.features) {
      if (f.kind === 'category' && isUnknownCategory(preprocessing, f.name, values[f.name] ?? null)) {
        out.push(f.name);
        this.metrics.unknownCategory(loaded.model, f.name);
      }
    }
    return out;
  }
}

type Answer = Pick<PredictionDto, 'label' | 'probabilities' | 'value'>;

/** The public part of a prediction (probabilities copied to a plain object for JSON). */
function answer(out: Prediction): Answer {
  if (out.value !== undefined) return { value: out.value };
  return { label: out.label, probabilities: out.probabilities ? { ...out.probabilities } : undefined };
}
