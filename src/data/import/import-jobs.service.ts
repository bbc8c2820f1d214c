import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { DATA_ERROR_STATUS, DataError, DataErrorCode } from '../data.errors';
import { ImportJobEntity } from '../import-job.entity';
import { CsvImportService, type ImportOutcome } from './csv-import.service';
import { ImportMetrics } from './import-metrics';
import type { SpooledUpload } from './upload-spool';

export interface ImportOptions {
  missingTokens?: string[];
  maxRejectedShare?: number;
}

/** A running import whose heartbeat is older than this was interrupted (process killed). */
const STALE_MS = 60_000;
const PROGRESS_WRITE_MS = 1_000;

/**
 * HTTP imports: once the upload is spooled to a temp file (`UploadSpool`), an `imports` row is written, and the import runs in the background of this process while its
 * progress is written to that row for polling. Progress lives outside the import's
 * transaction, so it survives a failed import to say why.
 */
@Injectable()
export class ImportJobsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ImportJobsService.name);
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly importer: CsvImportService,
    private readonly metrics: ImportMetrics,
  ) {}

  private get jobs() {
    return this.dataSource.getRepository(ImportJobEntity);
  }

  /** Records the job and runs it; `done` settles when the import ends, and the upload is released. */
  async start(datasetId: string, upload: SpooledUpload, createdBy: string, options: ImportOptions) {
    const id = randomUUID();
    try {
      await this.jobs.insert({
        id,
        datasetId,
        status: 'queued',
        sourceName: upload.filename,
        rowsRead: 0,
        rowsRejected: 0,
        bytesRead: 0,
        createdBy,
        heartbeatAt: new Date(),
      });
    } catch (err) {
      await upload.release();
      throw err;
    }
    const done = this.execute(id, datasetId, upload.path, upload.filename, createdBy, options).finally(upload.release);
    const tracked = done.catch(() => undefined);
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
    return { id, done };
  }

  private async execute(
    id: string,
    datasetId: string,
    file: string,
    sourceName: string | null,
    createdBy: string,
    options: ImportOptions,
  ): Promise<ImportOutcome> {
    const started = Date.now();
    await this.jobs.update({ id }, { status: 'running', heartbeatAt: new Date() });
    let writing: Promise<unknown> = Promise.resolve();
    let last = 0;
    try {
      const outcome = await this.importer.run({
        datasetId,
        source: createReadStream(file, { highWaterMark: 1 << 16 }),
        sourceName: sourceName ?? undefined,
        createdBy,
        ...options,
        onProgress: (p) => {
          if (Date.now() - last < PROGRESS_WRITE_MS) return;
          last = Date.now();
          writing = writing
            .then(() =>
              this.jobs.update(
                { id },
                { rowsRead: p.rows, rowsRejected: p.rejected, bytesRead: p.bytes, heartbeatAt: new Date() },
              ),
            )
            .catch(() => undefined);
        },
      });
      await writing;
      await this.jobs.update(
        { id },
        {
          status: outcome.status === 'created' ? 'succeeded' : 'duplicate',
          versionId: outcome.versionId,
          rowsRead: outcome.rows + outcome.rejected,
          rowsRejected: outcome.rejected,
          bytesRead: outcome.bytes,
          finishedAt: new Date(),
          heartbeatAt: new Date(),
        },
      );
      this.metrics.ended(outcome.status === 'created' ? 'succeeded' : 'duplicate', Date.now() - started, outcome);
      return outcome;
    } catch (err) {
      this.metrics.ended('failed', Date.now() - started);
      await writing;
      const error =
        err instanceof DataError
          ? { statusCode: DATA_ERROR_STATUS[err.code], message: err.message, details: err.details }
          : { statusCode: 500, message: 'Internal error during the import', details: [] };
      if (!(err instanceof DataError)) this.logger.error({ err, importId: id }, 'import failed');
      await this.dataSource.query(
        "UPDATE data.imports SET status = 'failed', error = $2, finished_at = now(), heartbeat_at = now() WHERE id = $1",
        [id, JSON.stringify(error)],
      );
      throw err;
    }
  }

  async get(datasetId: string, id: string): Promise<ImportJobEntity> {
    const job = await this.jobs.findOneBy({ id, datasetId });
    if (!job) throw new DataError(DataErrorCode.IMPORT_NOT_FOUND, 'Import not found');
    if ((job.status === 'running' || job.status === 'queued') && Date.now() - job.heartbeatAt.getTime() > STALE_MS) {
      // The process that ran it is gone; its transaction was rolled back with its connection.
      return {
        ...job,
        status: 'failed',
        error: {
          statusCode: 500,
          message: 'The import was interrupted (no progress for 60 s); nothing was imported',
          details: [],
        },
      };
    }
    return job;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const timeout = new Promise((r) => setTimeout(r, this.config.env.SHUTDOWN_TIMEOUT_MS).unref());
    await Promise.race([Promise.all([...this.running]), timeout]);
  }
}
