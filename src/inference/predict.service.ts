import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { unprocessable } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import type { Validation } from '../ml/predictor';
import { isUnknownCategory } from '../ml/preprocessing';
import type { CellValue } from '../ml/schema';
import type { PredictionDto, PredictResponseDto } from './dto/predict.dto';
import type { Prediction } from './loaded-model';
import { ModelCache } from './model-cache.service';
import type { ModelRef } from './model-source';
import { readPredictBody, validationDetails } from './predict-input';
import type { PredictionRow } from './prediction-buffer';
import { PredictionLog } from './prediction-log.service';

/** Serves predictions: resolve the version, validate, predict (micro-batched), answer, log. */
@Injectable()
export class PredictService {
  constructor(
    private readonly cache: ModelCache,
    private readonly log: PredictionLog,
    private readonly config: AppConfig,
  ) {}

  async predict(model: string, ref: ModelRef, body: unknown, caller: string): Promise<PredictResponseDto> {
    const started = performance.now();
    // The envelope first: a malformed or oversized body costs no model lookup.
    const input = readPredictBody(body, this.config.env.INFERENCE_MAX_BATCH);
    const lease = await this.cache.acquire(model, ref);
    try {
      const { loaded, alias } = lease;
      const checked: Validation[] = input.records.map((r) => loaded.predictor.validate(r));
      const details = validationDetails(input, checked);
      if (details.length) throw unprocessable(`Invalid input for model ${model} version ${loaded.version}`, details);
      const values = checked.map((c) => (c as Extract<Validation, { ok: true }>).values);
      const outputs = await loaded.predict(values);
      const createdAt = new Date();
      const latencyMs = performance.now() - started;
      const predictions: PredictionDto[] = outputs.map((out, i) => ({
        predictionId: randomUUID(),
        ...answer(out),
        unknownCategories: this.unknownCategories(loaded.predictor.meta.preprocessing, values[i]),
        model,
        version: loaded.version,
        alias,
      }));
      this.log.append(
        predictions.map((p, i): PredictionRow => ({
          id: p.predictionId,
          createdAt,
          model,
          version: loaded.version,
          alias,
          caller,
          features: values[i],
          output: answer(outputs[i]),
          latencyMs,
        })),
      );
      return { model, version: loaded.version, alias, predictions };
    } finally {
      lease.release();
    }
  }

  private unknownCategories(preprocessing: Parameters<typeof isUnknownCategory>[0], values: Record<string, CellValue>): string[] {
    const out: string[] = [];
    for (const f of preprocessing.features) {
      if (f.kind === 'category' && isUnknownCategory(preprocessing, f.name, values[f.name] ?? null)) out.push(f.name);
    }
    return out;
  }
}

/** The public part of a prediction (probabilities copied to a plain object for JSON). */
function answer(out: Prediction): Pick<PredictionDto, 'label' | 'probabilities' | 'value'> {
  if (out.value !== undefined) return { value: out.value };
  return { label: out.label, probabilities: out.probabilities ? { ...out.probabilities } : undefined };
}
