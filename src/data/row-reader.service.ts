import { StringDecoder } from 'node:string_decoder';
import { Injectable } from '@nestjs/common';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { CellValue, DatasetSchema, ColumnSpec } from '../ml';
import { decodeCopyValue } from './copy/copy-text';
import { dataColumn, isUuid, qualifiedTable, quoteIdent, quoteLiteral } from './sql/identifiers';
import { checkoutClient } from '../database/pooled-client';

export interface RowSource {
  table: string;
  schema: DatasetSchema;
  versionId: string;
}

/**
 * Reads a version's typed rows back in file order: `COPY (SELECT … ORDER BY row_no) TO STDOUT`
 * in text format, decoded by hand, batch by batch with stream back-pressure (bounded memory).
 */
@Injectable()
export class RowReaderService {
  constructor(private readonly dataSource: DataSource) {}

  async *stream(src: RowSource, batchSize: number): AsyncGenerator<Record<string, CellValue>[]> {
    if (!isUuid(src.versionId)) throw new Error('version id must be a uuid');
    const cols = src.schema.columns;
    const select = cols.map((_, i) => quoteIdent(dataColumn(i))).join(', ');
    // COPY takes no bind parameters: the version id is a validated uuid, quoted as a literal.
    const sql = `COPY (SELECT ${select} FROM ${qualifiedTable(src.table)} WHERE version_id = ${quoteLiteral(src.versionId)} ORDER BY row_no) TO STDOUT`;
    const client = await checkoutClient(this.dataSource);
    let done = false;
    try {
      const stream = client.query(copyTo(sql));
      let carry = '';
      const decoder = new StringDecoder('utf8'); // a chunk may end inside a multi-byte character
      let batch: Record<string, CellValue>[] = [];
      const decode = rowDecoder(cols);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const text = carry + decoder.write(chunk);
        let pos = 0;
        for (let nl = text.indexOf('\n', pos); nl !== -1; nl = text.indexOf('\n', pos)) {
          batch.push(decode(text, pos, nl));
          pos = nl + 1;
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
        carry = text.slice(pos);
      }
      if (batch.length) yield batch;
      done = true;
    } finally {
      // Stopped early (break, error): the connection is mid-COPY, so it is destroyed, not reused.
      client.release(done ? undefined : true);
    }
  }
}

/**
 * Rows are instances of a class whose prototype has no prototype: like `Object.create(null)`
 * (a column named "__proto__" or "toString" is a plain own key, nothing is inherited), but
 * built by the same property additions every time, so V8 keeps them in fast mode with a shared
 * shape: much cheaper to create and to hold than dictionary-mode objects.
 */
const Row = function Row() {} as unknown as new () => Record<string, CellValue>;
Row.prototype = Object.create(null) as object;

/** Decodes the COPY text line `text[start, end)` without splitting it into field strings first. */
export function rowDecoder(cols: ColumnSpec[]) {
  const names = cols.map((c) => c.name);
  const numeric = cols.map((c) => c.type === 'number' || c.type === 'integer');
  const types = cols.map((c) => c.type);
  return (text: string, start: number, end: number): Record<string, CellValue> => {
    const row = new Row();
    let a = start;
    for (let j = 0; j < names.length; j++) {
      let b = j === names.length - 1 ? end : text.indexOf('\t', a);
      if (b === -1 || b > end) b = end;
      let v: CellValue;
      if (b - a === 2 && text.charCodeAt(a) === 92 && text.charCodeAt(a + 1) === 78)
        v = null; // \N
      else if (numeric[j]) v = integerAt(text, a, b) ?? Number(text.slice(a, b));
      else v = decodeCopyValue(text.slice(a, b), types[j]);
      row[names[j]] = v;
      a = b + 1;
    }
    return row;
  };
}

/** `-?\d{1,15}` read from the char codes (no string); null for anything else (floats, exponents). */
function integerAt(s: string, a: number, b: number): number | null {
  let j = a;
  const neg = s.charCodeAt(j) === 45;
  if (neg) j++;
  if (b - j < 1 || b - j > 15) return null;
  let m = 0;
  for (; j < b; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return null;
    m = m * 10 + d;
  }
  return neg ? -m : m;
}
