import {
  FIELD_COUNT_BYTES,
  FLOAT4_FIELD_BYTES,
  INT4_FIELD_BYTES,
  TIMESTAMP_FIELD_BYTES,
  UUID_FIELD_BYTES,
  maxTextFieldBytes,
  writeFieldCount,
  writeFloat4Field,
  writeInt4Field,
  writeTextField,
  writeTimestampField,
  writeUuidField,
} from '../../database/copy-binary';
import type { RowWriter } from './prediction-buffer';

/** The prediction log's columns, in the order of each row's fields. */
export const LOG_COLUMNS = 'id, created_at, model, version, alias, caller, features, output, latency_ms, shadow_of';
const FIELD_COUNT = LOG_COLUMNS.split(', ').length;

/** The predictions of one answered request, as the log stores them (one row per record). */
export interface AnsweredRequest {
  /** When it was answered (ms since the epoch). */
  createdAt: number;
  model: string;
  version: number;
  alias: string | null;
  caller: string;
  latencyMs: number;
  records: {
    id: string;
    features: Record<string, unknown>;
    output: Record<string, unknown>;
    /** On a shadow's record: the id of the prediction it shadows (the caller's answer). */
    shadowOf?: string;
  }[];
}

/** Where rows go (PredictionBuffer): `room` is the most bytes the row can take. */
export interface RowSink {
  append(room: number, write: RowWriter): boolean;
}

// A row's bytes besides its text fields: field count, id, time, version, latency and shadow_of.
const FIXED_ROW_BYTES =
  FIELD_COUNT_BYTES +
  UUID_FIELD_BYTES +
  TIMESTAMP_FIELD_BYTES +
  INT4_FIELD_BYTES +
  FLOAT4_FIELD_BYTES +
  UUID_FIELD_BYTES;

/**
 * Appends each record of `answered` to `sink` as one of the log's rows, in order, in PostgreSQL's
 * binary COPY format (columns as in LOG_COLUMNS): PostgreSQL then parses no uuid, timestamp or
 * number, and the encoding needs no escaping. A row the sink drops is counted by the sink.
 */
export function appendLogRows(answered: AnsweredRequest, sink: RowSink): void {
  const { createdAt, model, version, alias, caller, latencyMs } = answered;
  const requestRoom =
    FIXED_ROW_BYTES + maxTextFieldBytes(model) + maxTextFieldBytes(alias ?? '') + maxTextFieldBytes(caller);
  for (const { id, features, output, shadowOf } of answered.records) {
    const featuresJson = JSON.stringify(features);
    const outputJson = JSON.stringify(output);
    sink.append(requestRoom + maxTextFieldBytes(featuresJson) + maxTextFieldBytes(outputJson), (bytes, at) => {
      let o = writeFieldCount(bytes, at, FIELD_COUNT);
      o = writeUuidField(bytes, o, id);
      o = writeTimestampField(bytes, o, createdAt);
      o = writeTextField(bytes, o, model);
      o = writeInt4Field(bytes, o, version);
      o = writeTextField(bytes, o, alias);
      o = writeTextField(bytes, o, caller);
      o = writeTextField(bytes, o, featuresJson);
      o = writeTextField(bytes, o, outputJson);
      o = writeFloat4Field(bytes, o, latencyMs);
      // A null field is its length -1 whatever its type: the text writer's null serves the uuid.
      return shadowOf === undefined ? writeTextField(bytes, o, null) : writeUuidField(bytes, o, shadowOf);
    });
  }
}
