import { StringDecoder } from 'node:string_decoder';
import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { CellValue, DatasetSchema } from '../ml/schema';
import { decodeCopyValue } from './copy/copy-text';
import { dataColumn, isUuid, qualifiedTable, quoteIdent, quoteLiteral } from './sql/identifiers';

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
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const client = await pool.connect();
    let done = false;
    try {
      const stream = client.query(copyTo(sql));
      let carry = '';
      const decoder = new StringDecoder('utf8'); // a chunk may end inside a multi-byte character
      let batch: Record<string, CellValue>[] = [];
      const names = cols.map((c) => c.name);
      const types = cols.map((c) => c.type);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const text = carry + decoder.write(chunk);
        let pos = 0;
        for (let nl = text.indexOf('\n', pos); nl !== -1; nl = text.indexOf('\n', pos)) {
          const fields = text.slice(pos, nl).split('\t');
          pos = nl + 1;
          // A null-prototype object: a column named "__proto__" stays a plain key.
          const row: Record<string, CellValue> = Object.create(null) as Record<string, CellValue>;
          for (let j = 0; j < names.length; j++) row[names[j]] = decodeCopyValue(fields[j], types[j]);
          batch.push(row);
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
