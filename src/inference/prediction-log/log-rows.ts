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
export const LOG_COLUMNS = 'id, created_at, model, version, alias, caller, features, output, latency_ms';
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
  records: { id: string; features: Record<string, unknown>; output: Record<string, unknown> }[];
}

/** Where rows go (PredictionBuffer): `room` is the most bytes the row can take. */
export interface RowSink {
  append(room: number, write: RowWriter): boolean;
}

/** The model, version, alias and caller of a request, and their fields encoded. */
interface RequestFields {
  model: string;
  version: number;
  alias: string | null;
  caller: string;
  bytes: Buffer;
}

/** The row LogRows is encoding: its record's fields, and its request's encoded shared fields. */
interface RowInProgress {
  id: string;
  createdAt: number;
  latencyMs: number;
  shared: Buffer;
  features: string;
  output: string;
}

// A row's bytes besides the request's fields and the JSON fields: field count, id, time and latency.
const ROW_BYTES = FIELD_COUNT_BYTES + UUID_FIELD_BYTES + TIMESTAMP_FIELD_BYTES + FLOAT4_FIELD_BYTES;

/**
 * Encodes answered requests as the log's rows in PostgreSQL's binary COPY format (columns as in
 * LOG_COLUMNS). Binary rather than text: PostgreSQL parses no uuid, timestamp or number, which
 * took a fifth to a third of its CPU a row (COPY of 100,000 credit rows into the log's table), and
 * the encoding here needs no escaping. Encoding is what the log costs the request path most, so the
 * fields a request's records share are encoded once, and those of the last request are kept:
 * consecutive requests mostly come from the same caller to the same version.
 */
export class LogRows {
  private last: RequestFields | null = null;
  // The row being encoded, which `writeRow` writes: a writer bound once, not a closure a row.
  private readonly row: RowInProgress = { id: '', createdAt: 0, latencyMs: 0, shared: Buffer.alloc(0), features: '', output: '' };

  /** Appends each record's row to `sink`, in order (a row the sink drops is counted by it). */
  encode(answered: AnsweredRequest, sink: RowSink): void {
    const row = this.row;
    row.shared = this.requestFields(answered);
    row.createdAt = answered.createdAt;
    row.latencyMs = answered.latencyMs;
    for (const r of answered.records) {
      row.id = r.id;
      row.features = JSON.stringify(r.features);
      row.output = JSON.stringify(r.output);
      sink.append(ROW_BYTES + row.shared.length + maxTextFieldBytes(row.features) + maxTextFieldBytes(row.output), this.writeRow);
    }
  }

  private readonly writeRow: RowWriter = (bytes, at) => {
    const row = this.row;
    let o = writeFieldCount(bytes, at, FIELD_COUNT);
    o = writeUuidField(bytes, o, row.id);
    o = writeTimestampField(bytes, o, row.createdAt);
    bytes.set(row.shared, o);
    o += row.shared.length;
    o = writeTextField(bytes, o, row.features);
    o = writeTextField(bytes, o, row.output);
    return writeFloat4Field(bytes, o, row.latencyMs);
  };

  private requestFields({ model, version, alias, caller }: AnsweredRequest): Buffer {
    const last = this.last;
    if (last && last.model === model && last.version === version && last.alias === alias && last.caller === caller) return last.bytes;
    const bytes = Buffer.alloc(maxTextFieldBytes(model) + INT4_FIELD_BYTES + maxTextFieldBytes(alias ?? '') + maxTextFieldBytes(caller));
    let o = writeTextField(bytes, 0, model);
    o = writeInt4Field(bytes, o, version);
    o = writeTextField(bytes, o, alias);
    o = writeTextField(bytes, o, caller);
    this.last = { model, version, alias, caller, bytes: bytes.subarray(0, o) };
    return this.last.bytes;
  }
}
