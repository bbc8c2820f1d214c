import type { ErrorDetailInput } from '../../common/errors/domain-error';
import { InferenceError, InferenceErrorCode } from '../inference.errors';

/** Which logged predictions a read covers: one model (optionally one version and/or alias), logged in `[from, to)`. */
export interface LogWindow {
  model: string;
  version?: number;
  alias?: string;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** One page of a paged read: at most `limit` rows (default DEFAULT_PAGE_SIZE), after the cursor `after`. */
export interface PageRequest {
  limit?: number;
  /** The `next` of the previous page; absent for the first page. */
  after?: string;
}

/** Rows in time order (then by id), and the cursor of the next page (null on the last page). */
export interface Page<T> {
  items: T[];
  next: string | null;
}

export type TimeBucket = 'minute' | 'hour' | 'day';

export const BUCKET_MS: Record<TimeBucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** Longer than a month of retention would not be read in one go by any planned job or chart. */
export const MAX_WINDOW_MS = 31 * BUCKET_MS.day;
export const DEFAULT_PAGE_SIZE = 1_000;
/** A page is held in the job's memory (features and output parsed): 10,000 credit rows are ~10 MB. */
export const MAX_PAGE_SIZE = 10_000;
/** A day of minutes, or a month of hours, in one answer; more is more points than a chart shows. */
export const MAX_BUCKETS = 1_500;

/** Where a page resumes: the last row's time (µs since the epoch, as PostgreSQL keeps it) and id. */
export interface Cursor {
  micros: string;
  id: string;
}

const CURSOR = /^(-?\d{1,17})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export const encodeCursor = (c: Cursor): string => `${c.micros}_${c.id}`;

/** Throws (INVALID_LOG_READ, one detail a bad field) unless `window` is one a read may cover. */
export function checkWindow(window: LogWindow): void {
  refuseIfAny(windowProblems(window));
}

/** The page's row count and cursor; throws (INVALID_LOG_READ) on a bad one, or a bad window. */
export function checkPage(window: LogWindow, page: PageRequest): { limit: number; after: Cursor | null } {
  const details = windowProblems(window);
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE_SIZE))
    details.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` });
  const m = page.after === undefined ? null : CURSOR.exec(page.after);
  if (page.after !== undefined && !m)
    details.push({ field: 'after', message: 'must be the next cursor of a previous page' });
  refuseIfAny(details);
  return { limit, after: m ? { micros: m[1], id: m[2] } : null };
}

/**
 * The bucket's length in ms; throws (INVALID_LOG_READ) on a bad window, an unknown bucket or more
 * than MAX_BUCKETS of them in the window.
 */
export function checkBuckets(window: LogWindow, bucket: TimeBucket): number {
  const details = windowProblems(window);
  const size = Object.hasOwn(BUCKET_MS, bucket) ? BUCKET_MS[bucket] : undefined;
  if (size === undefined)
    details.push({ field: 'bucket', message: `must be one of ${Object.keys(BUCKET_MS).join(', ')}` });
  else if (!details.length && bucketCount(window.from.getTime(), window.to.getTime(), size) > MAX_BUCKETS) {
    details.push({
      field: 'bucket',
      message: `the window holds more than ${MAX_BUCKETS} ${bucket} buckets: use a larger bucket or a shorter window`,
    });
  }
  refuseIfAny(details);
  return size!;
}

/** The start of every bucket of `size` ms (aligned to the Unix epoch, so to UTC) that overlaps `[from, to)`. */
export function bucketStarts(from: number, to: number, size: number): number[] {
  const first = Math.floor(from / size) * size;
  return Array.from({ length: bucketCount(from, to, size) }, (_, i) => first + i * size);
}

const bucketCount = (from: number, to: number, size: number): number =>
  Math.ceil((to - Math.floor(from / size) * size) / size);

function windowProblems(window: LogWindow): ErrorDetailInput[] {
  const details: ErrorDetailInput[] = [];
  if (typeof window.model !== 'string' || window.model.length === 0)
    details.push({ field: 'model', message: 'must be a model name' });
  if (window.version !== undefined && !(Number.isInteger(window.version) && window.version > 0))
    details.push({ field: 'version', message: 'must be a positive integer' });
  if (window.alias !== undefined && (typeof window.alias !== 'string' || window.alias.length === 0))
    details.push({ field: 'alias', message: 'must be an alias name' });
  const from = timeOf(window.from);
  const to = timeOf(window.to);
  if (from === null) details.push({ field: 'from', message: 'must be a valid date' });
  if (to === null) details.push({ field: 'to', message: 'must be a valid date' });
  if (from !== null && to !== null) {
    if (to <= from) details.push({ field: 'to', message: 'must be after from (the window is [from, to))' });
    else if (to - from > MAX_WINDOW_MS)
      details.push({ field: 'to', message: `the window may be at most ${MAX_WINDOW_MS / BUCKET_MS.day} days long` });
  }
  return details;
}

function refuseIfAny(details: ErrorDetailInput[]): void {
  if (details.length)
    throw new InferenceError(InferenceErrorCode.INVALID_LOG_READ, 'Invalid prediction log read', details);
}

const timeOf = (d: unknown): number | null => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.getTime() : null);
