import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { inferSchema, type DatasetSchema, type SampleCell } from '../../ml';
import {
  addPrimaryKeySql,
  attachVersionSql,
  copyFromSql,
  createPartitionedTableSql,
  createVersionTableSql,
  versionTableName,
} from '../dataset-table';
import { ProfileAccumulator } from '../profile/profile-accumulator';
import { profileVersion } from '../profile/profile-query';
import { CopyBuffer } from '../copy/copy-buffer';
import { DataError, DataErrorCode } from '../data.errors';
import { tableLimitProblems } from '../schema-validation';
import { datasetTableName } from '../sql/identifiers';
import { CsvByteReader } from './csv-byte-reader';
import {
  emptyFile,
  malformedCsv,
  noDataRows,
  tableLimitExceeded,
  tooManyRejected,
  CsvSyntaxError,
} from './import-errors';
import { lockDataset, saveRejections, saveVersion } from './import-sql';
import { checkInferredHeader, matchHeader } from '../csv/header';
import { RowEncoder, type Rejection } from './row-encoder';
import { checkoutClient } from '../../database/pooled-client';

export interface ImportProgress {
  rows: number;
  rejected: number;
  bytes: number;
}

export interface ImportRequest {
  datasetId: string;
  source: AsyncIterable<Buffer>;
  sourceName?: string;
  createdBy: string;
  /** Cells meaning "missing" besides the empty field; default IMPORT_MISSING_TOKENS. */
  missingTokens?: string[];
  /** Largest share of rejected rows that still makes a version; default IMPORT_MAX_REJECTED_SHARE. */
  maxRejectedShare?: number;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportOutcome {
  /** `duplicate`: a version with the same content exists; nothing was written. */
  status: 'created' | 'duplicate';
  versionId: string;
  number: number;
  rows: number;
  rejected: number;
  bytes: number;
  sha256: string;
}

// Rows read before inferring a schema (bounded memory); a later surprise is a rejected row, hence confirmation.
const SAMPLE_ROWS = 10_000;
const FLUSH_BYTES = 1 << 20;
const MAX_KEPT_REJECTIONS = 100_000;
const PROGRESS_MS = 250;

/** PostgreSQL's program_limit_exceeded class: a row wider than a page ("row is too big"), too many columns. */
const PROGRAM_LIMIT = /^54/;

/** A message that says its one detail too (a lone problem is the whole story: another delimiter, say). */
function withOnlyDetail(message: string, details: { message: string }[]): string {
  return details.length === 1 ? `${message}: ${details[0].message}` : message;
}

function importError(err: unknown): unknown {
  if (err instanceof CsvSyntaxError) return malformedCsv(err);
  const pg = err as { code?: string; message?: string };
  if (typeof pg.code === 'string' && PROGRAM_LIMIT.test(pg.code))
    return tableLimitExceeded([{ field: 'file', message: `PostgreSQL refused a row: ${pg.message}` }]);
  return err;
}

interface DatasetRow {
  id: string;
  target: string | null;
  schema: DatasetSchema | null;
  table_name: string | null;
}

/**
 * One CSV import = one transaction: parse and validate while streaming into COPY (the profile's
 * counts, moments and frequencies gathered on the way), then (under the dataset's advisory lock)
 * check for a duplicate, number the version, finish the profile (SQL only for high-cardinality
 * columns) and commit. Any failure, a killed process or a dropped connection leaves nothing behind.
 * Memory is bounded: one chunk, ~1 MB of COPY text, the profile's capped maps and the kept rejections.
 */
@Injectable()
export class CsvImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async run(req: ImportRequest): Promise<ImportOutcome> {
    const client = await checkoutClient(this.dataSource);
    try {
      const outcome = await this.inTransaction(client, req);
      client.release();
      return outcome;
    } catch (err) {
      // Destroying the connection rolls back whatever state the COPY left it in.
      client.release(err instanceof Error ? err : true);
      throw importError(err);
    }
  }

  private async inTransaction(client: PoolClient, req: ImportRequest): Promise<ImportOutcome> {
    const env = this.config.env;
    const missing = new Set(req.missingTokens ?? env.IMPORT_MISSING_TOKENS.split(',').map((t) => t.trim()));
    const maxShare = req.maxRejectedShare ?? env.IMPORT_MAX_REJECTED_SHARE;
    await client.query('BEGIN');
    await client.query("SET LOCAL work_mem = '64MB'");
    // Not `SET LOCAL synchronous_commit = off`: it would acknowledge a version that a crash just
    // after could still lose (committed, reported, then gone), and buy next to nothing: COPY's WAL
    // is flushed while streaming, so the COMMIT has little left to wait for.
    let ds = await loadDataset(client, req.datasetId, false);
    if (!ds.schema) {
      // First import infers the schema and creates the table: serialise it with other imports.
      await lockDataset(client, req.datasetId);
      ds = await loadDataset(client, req.datasetId, true);
    }

    const versionId = randomUUID();
    const rejections: Rejection[] = [];
    const sample: { fields: string[]; line: number; quoted: boolean[] | null }[] = [];
    let header: string[] | null = null;
    let encoder: RowEncoder | null = null;
    let stats: ProfileAccumulator | null = null;
    const out = new CopyBuffer();
    const reader = new CsvByteReader((fields, line, quoted) => {
      if (!header) header = fields;
      else if (encoder) out.writeString(encoder.encode(fields, line));
      else sample.push({ fields, line, quoted });
    });
    let copy: ReturnType<typeof copyFrom> | null = null;
    // Partitioned dataset table: this version's own table, filled bare, keyed and attached after the COPY.
    let part: string | null = null;

    const start = async () => {
      if (!header || !reader.sawContent) throw reader.sawContent ? noDataRows() : emptyFile();
      let schema = ds.schema;
      let table = ds.table_name;
      if (!schema) {
        const problems = checkInferredHeader(header);
        if (problems.length)
          throw new DataError(
            DataErrorCode.INVALID_HEADER,
            withOnlyDetail('The header row is not valid', problems),
            problems,
          );
        const cells = sample.map((r) =>
          r.fields.map((f, j): SampleCell => (r.quoted?.[j] ? { text: f, quoted: true } : f)),
        );
        schema = inferSchema(header, cells, missing);
        const limits = tableLimitProblems(schema);
        if (limits.length) throw tableLimitExceeded(limits);
        if (ds.target && !header.includes(ds.target))
          throw new DataError(DataErrorCode.TARGET_NOT_IN_FILE, 'The target column is not in the file', [
            { field: 'target', message: `no column named ${ds.target}`, line: 1 },
          ]);
        table = datasetTableName(ds.id);
        await client.query(createPartitionedTableSql(table, schema));
        await client.query(
          "UPDATE data.datasets SET schema = $2, schema_source = 'inferred', table_name = $3 WHERE id = $1",
          [ds.id, JSON.stringify(schema), table],
        );
        ds = { ...ds, schema, table_name: table };
      }
      const match = matchHeader(schema, header);
      if (!match.ok)
        throw new DataError(
          DataErrorCode.HEADER_MISMATCH,
          match.noHeader
            ? 'The file has no header row'
            : withOnlyDetail('The header does not match the dataset schema', match.details),
          match.details,
        );
      stats = new ProfileAccumulator(schema);
      encoder = new RowEncoder(
        schema,
        match.order,
        versionId,
        missing,
        (r) => {
          if (rejections.length < MAX_KEPT_REJECTIONS) rejections.push(r);
        },
        stats,
      );
      if (await isPartitioned(client, table!)) {
        part = versionTableName(versionId);
        await client.query(createVersionTableSql(table!, part, versionId));
      }
      copy = client.query(copyFrom(part ? copyFromSql(part, schema, { freeze: true }) : copyFromSql(table!, schema)));
      // Its failures reach us through write/drain/finished; when the import fails elsewhere, the
      // connection is destroyed under it and the stream's own 'error' must not crash the process.
      copy.on('error', () => undefined);
      for (const r of sample) out.writeString(encoder.encode(r.fields, r.line));
      sample.length = 0;
      const enc = encoder;
      reader.parser.fastLine = (s, a, b) => enc.encodeLine(s, a, b, out);
    };
    const flush = async () => {
      if (!copy) return;
      for (const block of out.take()) if (!copy.write(block)) await once(copy, 'drain');
    };

    let lastProgress = 0;
    const progress = (force = false) => {
      const now = Date.now();
      if (!req.onProgress || (!force && now - lastProgress < PROGRESS_MS)) return;
      lastProgress = now;
      req.onProgress({
        rows: encoder ? encoder.accepted + encoder.rejectedRows : 0,
        rejected: encoder?.rejectedRows ?? 0,
        bytes: reader.bytes,
      });
    };

    for await (const chunk of req.source) {
      reader.push(chunk);
      if (!encoder && sample.length >= SAMPLE_ROWS) await start();
      if (out.size >= FLUSH_BYTES) await flush();
      progress();
    }
    const sha256 = reader.end();
    if (!encoder) await start();
    await flush();
    const enc = encoder as RowEncoder | null;
    if (!copy || !enc) throw new Error('unreachable: COPY not started');
    const copyStream = copy as ReturnType<typeof copyFrom>;
    copyStream.end();
    await finished(copyStream);
    if (part) {
      await client.query(addPrimaryKeySql(part));
      await client.query(attachVersionSql(ds.table_name!, part, versionId));
    }
    progress(true);

    const total = enc.accepted + enc.rejectedRows;
    if (total === 0) throw noDataRows();
    await lockDataset(client, req.datasetId);
    const dup = await client.query<{ id: string; number: number; row_count: string; rejected_count: string }>(
      'SELECT id, number, row_count, rejected_count FROM data.dataset_versions WHERE dataset_id = $1 AND sha256 = $2',
      [req.datasetId, sha256],
    );
    if (dup.rows[0]) {
      await client.query('ROLLBACK');
      const d = dup.rows[0];
      return {
        status: 'duplicate',
        versionId: d.id,
        number: d.number,
        rows: Number(d.row_count),
        rejected: Number(d.rejected_count),
        bytes: reader.bytes,
        sha256,
      };
    }
    if (enc.rejectedRows / total > maxShare)
      throw tooManyRejected(enc.rejectedRows, total, maxShare, rejections.slice(0, 20));
    if (enc.accepted === 0) throw noDataRows();

    const profile = await profileVersion(client, ds.table_name!, ds.schema!, versionId, stats!);
    const number = await saveVersion(client, {
      id: versionId,
      datasetId: req.datasetId,
      rows: enc.accepted,
      rejected: enc.rejectedRows,
      bytes: reader.bytes,
      sha256,
      schema: ds.schema!,
      target: ds.target,
      missingTokens: [...missing],
      profile,
      sourceName: req.sourceName ?? null,
      createdBy: req.createdBy,
    });
    await saveRejections(client, versionId, rejections);
    await client.query('COMMIT');
    return {
      status: 'created',
      versionId,
      number,
      rows: enc.accepted,
      rejected: enc.rejectedRows,
      bytes: reader.bytes,
      sha256,
    };
  }
}

async function loadDataset(client: PoolClient, id: string, forUpdate: boolean): Promise<DatasetRow> {
  const res = await client.query<DatasetRow>(
    `SELECT id, target, schema, table_name FROM data.datasets WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  if (!res.rows[0]) throw new DataError(DataErrorCode.DATASET_NOT_FOUND, 'Dataset not found');
  return res.rows[0];
}

async function isPartitioned(client: PoolClient, table: string): Promise<boolean> {
  const res = await client.query<{ relkind: string }>(
    "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'data' AND c.relname = $1",
    [table],
  );
  return res.rows[0]?.relkind === 'p';
}
