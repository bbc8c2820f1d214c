import { InferenceError, InferenceErrorCode } from '../inference.errors';
import { explainRecords, referenceRecord, type Explanation, type CellValue } from '../../ml';
import type { LoadedModel, Prediction } from './loaded-model';

/** Explaining costs (features + 2) model rows per record: bounded per request. */
export const MAX_EXPLAIN_RECORDS = 100;

export interface Explained {
  reference: Record<string, CellValue>;
  explanations: (Explanation & { output: string })[];
}

export function checkExplainable(records: number): void {
  if (records > MAX_EXPLAIN_RECORDS) {
    throw new InferenceError(
      InferenceErrorCode.EXPLAIN_BATCH_TOO_LARGE,
      `explain=true takes at most ${MAX_EXPLAIN_RECORDS} records (got ${records})`,
      [{ field: 'explain', message: `at most ${MAX_EXPLAIN_RECORDS} records when explaining` }],
    );
  }
}

/**
 * Per record: what the explained output is (`probability:good` for the positive class of a
 * binary model, `probability:<predicted class>` for multiclass, `value` for regression) and the
 * replace-by-reference explanation of it (src/ml/explain.ts). Runs outside the micro-batcher:
 * one direct tfjs call of n × (features + 2) rows.
 */
export function explainPredictions(
  loaded: LoadedModel,
  values: Record<string, CellValue>[],
  outputs: Prediction[],
): Explained {
  const { predictor } = loaded;
  const { meta } = predictor;
  const target = meta.signature.target;
  const reference = referenceRecord(meta);
  const features = meta.signature.features.map((f) => f.name);
  const classes = outputs.map((o) => (target.task === 'binary' ? target.positiveClass! : (o.label ?? '')));
  const score = (rows: Record<string, CellValue>[], owner: number[]) =>
    predictor
      .predictValues(rows)
      .map((p, i) => (target.task === 'regression' ? p.value! : (p.probabilities?.[classes[owner[i]]] ?? 0)));
  const explanations = explainRecords(values, reference, features, score).map((e, i) => ({
    output: target.task === 'regression' ? 'value' : `probability:${classes[i]}`,
    ...e,
  }));
  return { reference: { ...reference }, explanations };
}
