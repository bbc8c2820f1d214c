import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { DataError } from '../data.errors';
import { fileRequired, malformedUpload, uploadInterrupted, uploadLimitExceeded, uploadTooLarge } from './import-errors';

/** An upload carries one CSV file in `file`; form fields are allowed (and ignored) up to these. */
export const UPLOAD_FIELD_LIMITS = { fields: 20, fieldBytes: 64 * 1024 };

const DIR_PREFIX = 'mlapi-import-';
/** Directories without a process id are from before they had one; such a one this old is stale. */
const LEGACY_STALE_MS = 60 * 60 * 1000;

/** What @fastify/multipart and node's streams raise, by code, as the app's errors. */
const PARSER_ERRORS = new Map<string, (maxBytes: number) => DataError>([
  ['FST_REQ_FILE_TOO_LARGE', (maxBytes) => uploadTooLarge(maxBytes)],
  ['FST_FILES_LIMIT', () => uploadLimitExceeded('more than one file (an upload carries one CSV file, in `file`)')],
  ['FST_FIELDS_LIMIT', () => uploadLimitExceeded(`more than ${UPLOAD_FIELD_LIMITS.fields} form fields`)],
  ['FST_PARTS_LIMIT', () => uploadLimitExceeded(`more than ${UPLOAD_FIELD_LIMITS.fields} form fields`)],
  ['FST_PROTO_VIOLATION', () => malformedUpload('a part is named after an object prototype property')],
  ['ERR_STREAM_PREMATURE_CLOSE', () => malformedUpload('the upload ended before its file did')],
]);

export interface SpooledUpload {
  path: string;
  filename: string | null;
  /** Removes the spooled file; safe to call more than once. */
  release: () => Promise<void>;
}

/**
 * Receives a multipart upload into a temp file, so that an import reads a complete file of
 * bounded size whatever the client does. Every limit answers at once, and the temp directory goes
 * on every path: refused or broken uploads, client disconnects, shutdown, and (swept at start)
 * a crash. Each directory carries its process id, so a sweep never takes a live process's spool.
 */
@Injectable()
export class UploadSpool implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(UploadSpool.name);
  private readonly active = new Set<string>();
  /** File parts being written, so that shutdown can end them rather than wait for slow clients. */
  private readonly receiving = new Set<Readable>();
  private closing = false;

  constructor(private readonly config: AppConfig) {}

  private get root(): string {
    return this.config.env.IMPORT_TMP_DIR ?? tmpdir();
  }

  async receive(req: FastifyRequest): Promise<SpooledUpload> {
    if (!req.isMultipart()) throw fileRequired();
    if (this.closing) throw uploadInterrupted();
    const dir = await mkdtemp(join(this.root, `${DIR_PREFIX}${process.pid}-`));
    this.active.add(dir);
    const release = async () => {
      this.active.delete(dir);
      await rm(dir, { recursive: true, force: true });
    };
    try {
      const path = join(dir, 'upload.csv');
      return { path, filename: await this.spool(req, path), release };
    } catch (err) {
      await release();
      throw this.uploadError(err);
    }
  }

  /** Writes the `file` part to `path` and reads the rest of the body; the file's name. */
  private async spool(req: FastifyRequest, path: string): Promise<string | null> {
    const maxBytes = this.config.env.IMPORT_MAX_UPLOAD_BYTES;
    // One more field than allowed reaches this loop, so the refusal is ours; the plugin's own
    // limit stops reading the body and would leave a later file part waiting for good.
    const parts = req.parts({
      limits: {
        files: 1,
        fileSize: maxBytes,
        fields: UPLOAD_FIELD_LIMITS.fields + 1,
        fieldSize: UPLOAD_FIELD_LIMITS.fieldBytes,
        parts: UPLOAD_FIELD_LIMITS.fields + 2,
      },
    });
    let filename: string | null | undefined;
    let fields = 0;
    for await (const part of parts) {
      if (part.type === 'field') {
        if (++fields > UPLOAD_FIELD_LIMITS.fields)
          throw uploadLimitExceeded(`more than ${UPLOAD_FIELD_LIMITS.fields} form fields`);
        if (part.valueTruncated)
          throw uploadLimitExceeded(
            `a form field longer than ${UPLOAD_FIELD_LIMITS.fieldBytes} bytes (${JSON.stringify(part.fieldname.slice(0, 100))})`,
          );
        continue;
      }
      if (part.fieldname !== 'file') {
        part.file.resume();
        throw malformedUpload(
          `a file part named ${JSON.stringify(part.fieldname.slice(0, 100))}: the CSV goes in the \`file\` field`,
        );
      }
      await this.write(req, part.file, path);
      if ((part.file as Readable & { truncated?: boolean }).truncated) throw uploadTooLarge(maxBytes);
      filename = sourceName(part.filename);
    }
    if (filename === undefined) throw fileRequired();
    return filename;
  }

  /** Copies the file part, which must be consumed at once: the parser holds the rest of the body behind it. */
  private async write(req: FastifyRequest, file: Readable, path: string): Promise<void> {
    // The parser destroys a part whose body broke off before this code got it (the whole request
    // had arrived); a pipeline on a destroyed stream would wait for good.
    if (file.destroyed) throw malformedUpload('the upload ended before its file did');
    const onClose = () => {
      if (!req.raw.complete) file.destroy(new Error('the client closed the connection during the upload'));
    };
    req.raw.once('close', onClose);
    this.receiving.add(file);
    try {
      await pipeline(file, createWriteStream(path));
    } finally {
      this.receiving.delete(file);
      req.raw.off('close', onClose);
    }
  }

  /**
   * When the HTTP server starts closing (after the drain): uploads still arriving answer 503 and
   * lose their spool, instead of holding the server open until the shutdown timeout kills the
   * process and leaves their files behind.
   */
  interruptUploads(): void {
    this.closing = true;
    for (const file of this.receiving) file.destroy(uploadInterrupted());
  }

  /** The app's error for what the multipart parser or the stream raised; file system errors stay as they are. */
  private uploadError(err: unknown): unknown {
    if (err instanceof DataError || !(err instanceof Error)) return err;
    const known = PARSER_ERRORS.get((err as { code?: string }).code ?? '');
    if (known) return known(this.config.env.IMPORT_MAX_UPLOAD_BYTES);
    if ((err as { syscall?: string }).syscall) return err; // writing the temp file failed: not the client's fault
    return malformedUpload(err.message);
  }

  /** A crashed process leaves its spool behind; the next start removes it. */
  async onModuleInit(): Promise<void> {
    const entries = await readdir(this.root).catch(() => []);
    let removed = 0;
    for (const name of entries) {
      if (!name.startsWith(DIR_PREFIX)) continue;
      const dir = join(this.root, name);
      if (!(await this.isStale(name, dir))) continue;
      await rm(dir, { recursive: true, force: true });
      removed++;
    }
    if (removed) this.logger.log({ removed, dir: this.root }, 'removed stale upload spools');
  }

  private async isStale(name: string, dir: string): Promise<boolean> {
    const pid = /^mlapi-import-(\d+)-/.exec(name)?.[1];
    if (pid === undefined) {
      const info = await stat(dir).catch(() => null);
      return info !== null && Date.now() - info.mtimeMs > LEGACY_STALE_MS;
    }
    return Number(pid) === process.pid || !processAlive(Number(pid));
  }

  /** Runs after imports had their shutdown grace: what is left would never be removed. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.active].map((dir) => rm(dir, { recursive: true, force: true })));
    this.active.clear();
  }
}

/**
 * The client's file name is kept as the import's metadata only (never a path): without control
 * characters (PostgreSQL's text cannot hold NUL) and at most 255 characters.
 */
function sourceName(filename: string): string | null {
  return filename.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255) || null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
