import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ErrorDetailInput } from '../../common/errors/domain-error';
import { InferenceError, InferenceErrorCode } from '../inference.errors';
import type { FeedbackResultDto } from './feedback.dto';
import { ModelCache } from '../serving/model-cache.service';
import { PredictionLog } from '../prediction-log/prediction-log.service';

export interface FeedbackItem {
  predictionId: string;
  label: unknown;
}

/** Who gives feedback: their principal id, and whether they may change anyone's label. */
export interface FeedbackCaller {
  id: string;
  isAdmin: boolean;
}

/** A checked label, ready to store; `index` is its item's place in the request. */
interface Row {
  id: string;
  model: string;
  version: number;
  label: string | number;
  index: number;
}

interface Saved {
  prediction_id: string;
  model: string;
  version: number;
  label: string | number;
  created_at: Date;
  updated_at: Date;
}

/** The model version that made a prediction. */
interface PredictionSource {
  model: string;
  version: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ground-truth labels for logged predictions (inference.feedback), one per prediction. The first
 * label stands: giving it again is a no-op, so clients may retry freely; only its giver or an admin
 * may change it, and each change is kept in inference.feedback_audit. A batch is all or nothing.
 */
@Injectable()
export class FeedbackService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly log: PredictionLog,
    private readonly cache: ModelCache,
  ) {}

  async give(
    items: FeedbackItem[],
    caller: FeedbackCaller,
    field: (i: number) => string,
  ): Promise<FeedbackResultDto[]> {
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
    const rows: Row[] = [];
    for (const [id, { item, index }] of byId) {
      const p = found.get(id)!;
      const checked = await this.checkLabel(p.model, p.version, item.label);
      if (typeof checked === 'string') details.push({ field: `${field(index)}label`, message: checked, index });
      else rows.push({ id, model: p.model, version: p.version, label: checked.label, index });
    }
    if (details.length)
      throw new InferenceError(InferenceErrorCode.INVALID_FEEDBACK_LABEL, 'Invalid feedback label', details);
    const saved = await this.ds.transaction((m) => this.store(m, rows, caller, field));
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
   * Inserts the labels of predictions that have none; for the others, the first label stands: the
   * same label again changes nothing, a different one is taken from its giver or an admin (and
   * audited) and refused from anyone else (409, the whole batch). The existing rows are locked, and
   * an insert racing another for the same prediction waits for it, so the first of two always wins.
   */
  private async store(m: EntityManager, rows: Row[], caller: FeedbackCaller, field: (i: number) => string) {
    const inserted = await m.query<Saved[]>(
      `INSERT INTO inference.feedback (prediction_id, model, version, label, given_by)
       SELECT id, model, version, label, $5 FROM unnest($1::uuid[], $2::text[], $3::int[], $4::jsonb[]) AS t(id, model, version, label)
       ON CONFLICT (prediction_id) DO NOTHING
       RETURNING prediction_id, model, version, label, created_at, updated_at`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.model),
        rows.map((r) => r.version),
        rows.map((r) => JSON.stringify(r.label)),
        caller.id,
      ],
    );
    const isNew = new Set(inserted.map((r) => r.prediction_id));
    const given = rows.filter((r) => !isNew.has(r.id));
    if (!given.length) return inserted;
    const existing = new Map(
      (
        await m.query<(Saved & { given_by: string })[]>(
          `SELECT prediction_id::text AS prediction_id, model, version, label, given_by, created_at, updated_at
           FROM inference.feedback WHERE prediction_id = ANY($1::uuid[]) FOR UPDATE`,
          [given.map((r) => r.id)],
        )
      ).map((e) => [e.prediction_id, e]),
    );
    const changed = given.filter((r) => existing.get(r.id)!.label !== r.label);
    const conflicts = changed.filter((r) => !caller.isAdmin && existing.get(r.id)!.given_by !== caller.id);
    if (conflicts.length) {
      const first = existing.get(conflicts[0].id)!;
      throw new InferenceError(
        InferenceErrorCode.FEEDBACK_CONFLICT,
        conflicts.length === 1
          ? `Prediction ${conflicts[0].id} already has the label ${String(first.label)} from another caller`
          : `${conflicts.length} predictions already have labels from other callers`,
        conflicts.map((r) => ({
          field: `${field(r.index)}label`,
          message: `already ${String(existing.get(r.id)!.label)}; only its giver or an admin may change it`,
          index: r.index,
        })),
      );
    }
    if (!changed.length) return [...inserted, ...existing.values()];
    // given_by stays the first giver's, so they may still correct a label an admin changed.
    // In a CTE: TypeORM answers a bare UPDATE with [rows, count], a SELECT with its rows.
    const updated = await m.query<Saved[]>(
      `WITH u AS (
         UPDATE inference.feedback f SET label = t.label, updated_at = now()
         FROM unnest($1::uuid[], $2::jsonb[]) AS t(id, label) WHERE f.prediction_id = t.id
         RETURNING f.prediction_id::text AS prediction_id, f.model, f.version, f.label, f.created_at, f.updated_at)
       SELECT * FROM u`,
      [changed.map((r) => r.id), changed.map((r) => JSON.stringify(r.label))],
    );
    await m.query(
      `INSERT INTO inference.feedback_audit (prediction_id, model, version, old_label, new_label, changed_by)
       SELECT id, model, version, old_label, new_label, $6
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::jsonb[], $5::jsonb[]) AS t(id, model, version, old_label, new_label)`,
      [
        changed.map((r) => r.id),
        changed.map((r) => r.model),
        changed.map((r) => r.version),
        changed.map((r) => JSON.stringify(existing.get(r.id)!.label)),
        changed.map((r) => JSON.stringify(r.label)),
        caller.id,
      ],
    );
    return [...inserted, ...existing.values(), ...updated];
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
