import { isoTime } from '../common/iso-time';
import { copyFields, copyJson } from '../database/copy-text';

/** The prediction log's columns, in the order of each line's fields. */
export const LOG_COLUMNS = 'id, created_at, model, version, alias, caller, features, output, latency_ms';

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

/** The model, version, alias and caller of a request, and their COPY text. */
interface RequestFields {
  model: string;
  version: number;
  alias: string | null;
  caller: string;
  text: string;
}

/**
 * Encodes answered requests as the log's COPY text lines (columns as in LOG_COLUMNS). Encoding
 * is what the log costs the request path most, so the fields a request's records share are
 * encoded once, and those of the last request are kept: consecutive requests mostly come from
 * the same caller to the same version. With them kept, logging a single-record request took
 * 1.69-1.73 µs instead of 1.91-2.03 (in one process, 200k credit rows, old and new code in turn).
 * Ids are our UUIDs and need no escaping.
 */
export class LogLines {
  private last: RequestFields | null = null;

  /** Calls `emit` with each record's line (newline included), in order. */
  encode(answered: AnsweredRequest, emit: (line: string) => void): void {
    const shared = `${isoTime(answered.createdAt)}\t${this.requestFields(answered)}`;
    const latency = answered.latencyMs;
    for (const r of answered.records) emit(`${r.id}\t${shared}\t${copyJson(r.features)}\t${copyJson(r.output)}\t${latency}\n`);
  }

  private requestFields({ model, version, alias, caller }: AnsweredRequest): string {
    const last = this.last;
    if (last && last.model === model && last.version === version && last.alias === alias && last.caller === caller) return last.text;
    this.last = { model, version, alias, caller, text: copyFields([model, version, alias, caller]) };
    return this.last.text;
  }
}
