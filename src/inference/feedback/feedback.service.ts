import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ErrorDetailInput } from '../../common/errors/domain-error';
import { InferenceError, InferenceErrorCode } from '../inference.errors';
import type { FeedbackResultDto } from './feedback.dto';
import { ModelCache } from '../serving/model-cache.service';
import { PredictionLog } from '../prediction-log/prediction-log.service';

export interface FeedbackItem {
  predictionId: string;
  label: unknown;
}

/** The model version that made a prediction. */
interface PredictionSource {
  model: string;
  version: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ground-truth labels for logged predictions (inference.feedback), one per prediction: giving
 * feedback again replaces it (upsert), so clients may retry freely. A batch is all or nothing.
 */
@Injectable()
export class FeedbackService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly log: PredictionLog,
    private readonly cache: ModelCache,
  ) {}

  async give(items: FeedbackItem[], caller: string, field: (i: number) => string): Promise<FeedbackResultDto[]> {
    // Last label wins for an id given twice in one batch (one upsert row per id).
    const byId = new Map<string, { item: FeedbackItem; index: number }>();
    items.forEach((item, index) => byId.set(item.predictionId.toLowerCase(), { item, index }));
    const found = await this.findPredictions([...byId.keys()]);
    const unknown = [...byId.entries()].filter(([id]) => !found.has(id));
    if (unknown.length) {
      const details = unknown.map(([id, { index }]) => ({
        field: `${field(index)}predictionId`,
        message: `prediction ${id} not found`,
        index,
      }));
      throw new InferenceError(
        InferenceErrorCode.PREDICTION_NOT_FOUND,
        unknown.length === 1 ? `Prediction ${unknown[0][0]} not found` : `${unknown.length} predictions not found`,
        details,
      );
    }
    const details: ErrorDetailInput[] = [];
    const rows: { id: string; model: string; version: number; label: string | number }[] = [];
    for (const [id, { item, index }] of byId) {
      const p = found.get(id)!;
      const checked = await this.checkLabel(p.model, p.version, item.label);
      if (typeof checked === 'string') details.push({ field: `${field(index)}label`, message: checked, index });
      else rows.push({ id, model: p.model, version: p.version, label: checked.label });
    }
    if (details.length)
      throw new InferenceError(InferenceErrorCode.INVALID_FEEDBACK_LABEL, 'Invalid feedback label', details);
    type Saved = {
      prediction_id: string;
      model: string;
      version: number;
      label: string | number;
      created_at: Date;
      updated_at: Date;
    };
    const saved = await this.ds.query<Saved[]>(
      `INSERT INTO inference.feedback (prediction_id, model, version, label, given_by)
       SELECT id, model, version, label, $5 FROM unnest($1::uuid[], $2::text[], $3::int[], $4::jsonb[]) AS t(id, model, version, label)
       ON CONFLICT (prediction_id) DO UPDATE SET label = EXCLUDED.label, given_by = EXCLUDED.given_by, updated_at = now()
       RETURNING prediction_id, model, version, label, created_at, updated_at`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.model),
        rows.map((r) => r.version),
        rows.map((r) => JSON.stringify(r.label)),
        caller,
      ],
    );
    const byPrediction = new Map(saved.map((s) => [s.prediction_id, s]));
    return [...byId.keys()].map((id) => {
      const s = byPrediction.get(id)!;
      return {
        predictionId: id,
        label: s.label,
        model: s.model,
        version: s.version,
        createdAt: s.created_at.toISOString(),
        updatedAt: s.updated_at.toISOString(),
      };
    });
  }

  /**
   * Model and version of each prediction, from the log table. Feedback can come before its
   * prediction's row is written: ids not found while rows are buffered are looked up again after a
   * flush (the log keeps rows as encoded bytes, with no index by id; feedback is rare next to
   * predictions, so it is the one to wait).
   */
  private async findPredictions(ids: string[]): Promise<Map<string, PredictionSource>> {
    const found = await this.lookup(ids.filter((id) => UUID.test(id)));
    const missing = ids.filter((id) => !found.has(id) && UUID.test(id));
    if (missing.length && this.log.stats().buffered > 0) {
      if (!(await this.log.flush()))
        throw new InferenceError(
          InferenceErrorCode.PREDICTION_LOG_UNAVAILABLE,
          'The prediction log cannot be written now: feedback for recent predictions has to wait until it can',
        );
      for (const [id, source] of await this.lookup(missing)) found.set(id, source);
    }
    return found;
  }

  private async lookup(ids: string[]): Promise<Map<string, PredictionSource>> {
    if (!ids.length) return new Map();
    const rows = await this.ds.query<{ id: string; model: string; version: number }[]>(
      'SELECT DISTINCT id::text AS id, model, version FROM inference.predictions WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { model: r.model, version: r.version }]));
  }

  /** The label as stored, or why it does not fit the target of the version that predicted. */
  private async checkLabel(
    model: string,
    version: number,
    label: unknown,
  ): Promise<{ label: string | number } | string> {
    const lease = await this.cache.acquire(model, { version });
    const target = lease.loaded.predictor.meta.signature.target;
    lease.release();
    if (target.task === 'regression') {
      return typeof label === 'number' && Number.isFinite(label)
        ? { label }
        : 'must be a finite number (regression target)';
    }
    const classes = target.classes ?? [];
    // A numeric class code sent as a JSON number means its string form, as for features.
    const text =
      typeof label === 'string' ? label : typeof label === 'number' && Number.isFinite(label) ? String(label) : null;
    if (text === null || !classes.includes(text))
      return `must be one of the classes of ${target.name}: ${classes.join(', ')}`;
    return { label: text };
  }
}
