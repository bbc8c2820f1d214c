import type * as tf from '@tensorflow/tfjs';
import { modelFromBundle, parseBundle, type BundleMeta, type ModelBundle } from './bundle';
import { predictMatrix, unscale } from './evaluate';
import { outputWidth, transform } from './preprocessing';
import { coerceFeature, type CellValue } from './schema';

export interface FieldError {
  /** Feature name ('' when the record itself is not an object). */
  field: string;
  code: 'missing' | 'invalid' | 'unknown_feature' | 'not_an_object';
  message: string;
}

export type RecordPrediction =
  | { ok: true; label?: string; value?: number; probabilities?: Record<string, number> }
  | { ok: false; errors: FieldError[] };

export interface PredictOutput {
  results: RecordPrediction[];
  /** Per feature: how many valid records had a category the model never saw (encoded as unknown). */
  unknownCategories: Record<string, number>;
}

export type Validation = { ok: true; values: Record<string, CellValue> } | { ok: false; errors: FieldError[] };

/** A loaded model: validates requests against the signature and predicts in one batch. */
export class Predictor {
  private readonly featureNames: Set<string>;
  private known?: Map<string, Set<string>>;
  /** A new object for one record's values (see the constructor). */
  private readonly newValues: () => Record<string, CellValue>;

  constructor(
    readonly meta: BundleMeta,
    private readonly model: tf.LayersModel,
  ) {
    this.featureNames = new Set(meta.signature.features.map((f) => f.name));
    // Only feature names become keys. A plain object is cheaper to fill and to serialize (the
    // prediction log) than a null-prototype one, which V8 keeps in dictionary mode;
    // but assigning a key "__proto__" to a plain object would set its prototype instead.
    this.newValues = this.featureNames.has('__proto__')
      ? () => Object.create(null) as Record<string, CellValue>
      : () => ({});
  }

  /**
   * Checks one request record: every key must be a feature, every feature valid for its type;
   * an absent key means null (accepted only for nullable features). Values are copied into a new
   * object holding only the features' own keys, so keys like "__proto__" stay plain data.
   */
  validate(record: unknown): Validation {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      return {
        ok: false,
        errors: [{ field: '', code: 'not_an_object', message: 'a record must be a JSON object' }],
      };
    }
    const input = record as Record<string, unknown>;
    const errors: FieldError[] = [];
    for (const key of Object.keys(input)) {
      if (!this.featureNames.has(key))
        errors.push({
          field: key,
          code: 'unknown_feature',
          message: 'not a feature of this model',
        });
    }
    const values = this.newValues();
    for (const col of this.meta.signature.features) {
      const raw = Object.hasOwn(input, col.name) ? input[col.name] : undefined;
      const r = coerceFeature(raw, col);
      if (r.ok) values[col.name] = r.value;
      else
        errors.push({
          field: col.name,
          code: raw === undefined || raw === null ? 'missing' : 'invalid',
          message: r.reason,
        });
    }
    return errors.length ? { ok: false, errors } : { ok: true, values };
  }

  /** Validates every record, then predicts the valid ones with one `predict` call. */
  predict(records: ReadonlyArray<unknown>): PredictOutput {
    const checked = records.map((r) => this.validate(r));
    const valid: Record<string, CellValue>[] = [];
    for (const c of checked) if (c.ok) valid.push(c.values);
    const unknownCategories = this.countUnknown(valid);
    const outputs = this.predictValues(valid);
    let next = 0;
    const results = checked.map((c): RecordPrediction => (c.ok ? outputs[next++] : { ok: false, errors: c.errors }));
    return { results, unknownCategories };
  }

  /** Predicts records that already passed `validate` (e.g. a micro-batch assembled by the caller). */
  predictValues(values: ReadonlyArray<Record<string, CellValue>>): Extract<RecordPrediction, { ok: true }>[] {
    const { preprocessing, target, threshold } = this.meta;
    const width = outputWidth(preprocessing);
    const out = predictMatrix(this.model, transform(preprocessing, values), values.length, width);
    if (target.task === 'regression')
      return Array.from(unscale(target, out), (value) => ({ ok: true as const, value }));
    const classes = target.classes!;
    return values.map((_, i) => {
      const probabilities = Object.create(null) as Record<string, number>;
      if (target.task === 'binary') {
        const p = out[i];
        const positive = target.positiveClass!;
        const negative = classes[0] === positive ? classes[1] : classes[0];
        probabilities[negative] = 1 - p;
        probabilities[positive] = p;
        return {
          ok: true as const,
          label: p >= (threshold ?? 0.5) ? positive : negative,
          probabilities,
        };
      }
      const k = classes.length;
      let arg = 0;
      for (let c = 0; c < k; c++) {
        probabilities[classes[c]] = out[i * k + c]!;
        if (out[i * k + c] > out[i * k + arg]) arg = c;
      }
      return { ok: true as const, label: classes[arg], probabilities };
    });
  }

  /** Per category feature, the values with a one-hot slot; anything else is "unknown". */
  private get knownCategories(): Map<string, Set<string>> {
    this.known ??= new Map(
      this.meta.preprocessing.features.flatMap((f) =>
        f.kind === 'category' ? [[f.name, new Set(f.categories)] as const] : [],
      ),
    );
    return this.known;
  }

  /** Public so that a caller that micro-batches (`validate` + `predictValues`) can count too. */
  countUnknown(values: ReadonlyArray<Record<string, CellValue>>): Record<string, number> {
    const counts = new Map<string, number>();
    for (const [name, known] of this.knownCategories) {
      let n = 0;
      for (const v of values) {
        const value = Object.hasOwn(v, name) ? v[name] : null;
        if (value !== null && value !== undefined && !known.has(String(value))) n++;
      }
      if (n > 0) counts.set(name, n);
    }
    return Object.fromEntries(counts);
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** Loads a serialized bundle into a ready Predictor (call `initBackend` first). */
export async function loadBundle(buffer: Buffer | string): Promise<Predictor> {
  const bundle: ModelBundle = parseBundle(buffer);
  // The meta without the (large) weights: the Predictor keeps only what it serves with.
  const meta = Object.fromEntries(Object.entries(bundle).filter(([k]) => k !== 'model')) as unknown as BundleMeta;
  return new Predictor(meta, await modelFromBundle(bundle));
}
