import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  bucketStarts,
  checkBuckets,
  checkPage,
  checkWindow,
  encodeCursor,
  type Cursor,
  type LogWindow,
  type Page,
  type PageRequest,
  type TimeBucket,
} from './log-window';
import { SHADOW_ALIAS } from '../serving/traffic-split';

/** A logged prediction as the log keeps it. */
export interface LoggedPrediction {
  id: string;
  time: Date;
  version: number;
  /** The alias the request named or implied; null when it named a version. */
  alias: string | null;
  features: Record<string, unknown>;
  output: Record<string, unknown>;
}

/** What recounting a window reads of a logged prediction (PredictionReader.answers). */
export type LoggedAnswer = Pick<LoggedPrediction, 'version' | 'features' | 'output'>;

type RecordRow = LoggedPrediction & { micros: string };

/** A logged prediction that has been given its ground-truth label (feedback). */
export interface LabelledPrediction {
  id: string;
  time: Date;
  version: number;
  output: Record<string, unknown>;
  label: string | number;
  /** When the label was given (last given, if it was replaced). */
  labelledAt: Date;
}

/** How much of a window's log has its label, and how late the labels came. */
export interface LabelSummary {
  predictions: number;
  labelled: number;
  /** Predictions per alias as served (`''` for none: a version asked by number). */
  byAlias: Record<string, number>;
  /** Median and 90th percentile of (label first given − prediction), in seconds; null without labels. */
  delayP50Seconds: number | null;
  delayP90Seconds: number | null;
}

/** A shadow's record with the prediction it shadowed (the caller's answer) and that one's label. */
export interface ShadowPair {
  id: string;
  time: Date;
  version: number;
  output: Record<string, unknown>;
  answered: { id: string; version: number; alias: string | null; output: Record<string, unknown> };
  /** The label given to the answered prediction, which the shadow inherits; null while none. */
  label: string | number | null;
}

/** Predictions logged in one bucket `[start, start + bucket)`; `byVersion` when the read named no version. */
export interface PredictionCount {
  start: Date;
  count: number;
  byVersion?: { version: number; count: number }[];
}

/** Feedback of a logged row: its own, or for a shadow's record that of the prediction it shadows. */
const LABEL_JOIN = 'f.prediction_id = COALESCE(p.shadow_of, p.id)';

/** The columns that make a page's cursor: the row's time in µs (a Date keeps ms only) and its id. */
const CURSOR_COLUMNS = `(extract(epoch FROM p.created_at) * 1000000)::int8::text AS micros, p.id`;
const BUCKET_INTERVAL: Record<TimeBucket, string> = { minute: '1 minute', hour: '1 hour', day: '1 day' };

/**
 * Read-only access to the prediction log (inference.predictions) and its feedback, for monitoring:
 * the SQL on inference's tables stays in inference. Every read is of one model in a half-open
 * window of log time, checked here (INVALID_LOG_READ, 422, for a bad one). Record reads are paged with a keyset
 * cursor (time, id): a page is one short query, so a job holds no connection between pages and can
 * resume where it stopped. Rows still in a replica's write-behind buffer (INFERENCE_LOG_FLUSH_MS)
 * are not seen yet.
 */
@Injectable()
export class PredictionReader {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The window's logged predictions, in time order, a page at a time. */
  records(window: LogWindow, page: PageRequest = {}): Promise<Page<LoggedPrediction>> {
    return this.recordPage(window, page, 'p.created_at AS time, p.version, p.alias, p.features, p.output', (r) => ({
      id: r.id,
      time: r.time,
      version: r.version,
      alias: r.alias,
      features: r.features,
      output: r.output,
    }));
  }

  /** Like `records`, only each record's version, features and output: what recounting a window reads. */
  answers(window: LogWindow, page: PageRequest = {}): Promise<Page<LoggedAnswer>> {
    return this.recordPage(window, page, 'p.version, p.features, p.output', ({ version, features, output }) => ({
      version,
      features,
      output,
    }));
  }

  private async recordPage<T>(
    window: LogWindow,
    page: PageRequest,
    columns: string,
    item: (row: RecordRow) => T,
  ): Promise<Page<T>> {
    const { limit, after } = checkPage(window, page);
    const params: unknown[] = [];
    const where = windowFilter(window, after, params);
    const rows = await this.ds.query<RecordRow[]>(
      `SELECT ${CURSOR_COLUMNS}, ${columns}
       FROM inference.predictions p WHERE ${where} ORDER BY p.created_at, p.id LIMIT ${limit + 1}`,
      params,
    );
    return pageOf(rows, limit, item);
  }

  /** The window's predictions that have a label, with it, in time order, a page at a time. */
  async labelled(window: LogWindow, page: PageRequest = {}): Promise<Page<LabelledPrediction>> {
    const { limit, after } = checkPage(window, page);
    const params: unknown[] = [];
    const where = windowFilter(window, after, params);
    type Row = {
      micros: string;
      id: string;
      time: Date;
      version: number;
      output: Record<string, unknown>;
      label: string | number;
      labelled_at: Date;
    };
    // Joined on the id alone: PostgreSQL then looks each prediction of the page up in feedback's
    // primary key, in the log's order, and stops at the page's end. Naming feedback's model and
    // version as well made it hash every label the model ever had, a cost that grows with the history.
    // A shadow's record takes the label of the prediction it shadows (LABEL_JOIN).
    const rows = await this.ds.query<Row[]>(
      `SELECT ${CURSOR_COLUMNS}, p.created_at AS time, p.version, p.output, f.label, f.updated_at AS labelled_at
       FROM inference.predictions p JOIN inference.feedback f ON ${LABEL_JOIN}
       WHERE ${where} ORDER BY p.created_at, p.id LIMIT ${limit + 1}`,
      params,
    );
    return pageOf(rows, limit, ({ id, time, version, output, label, labelled_at }) => ({
      id,
      time,
      version,
      output,
      label,
      labelledAt: labelled_at,
    }));
  }

  /**
   * The window's predictions, how many have a label (a shadow's through the prediction it shadows),
   * per alias, and the label delay's median and 90th percentile: one aggregate query.
   */
  async labelSummary(window: LogWindow): Promise<LabelSummary> {
    checkWindow(window);
    const params: unknown[] = [];
    const where = windowFilter(window, null, params);
    type Row = {
      alias: string;
      predictions: number;
      labelled: number;
      p50: number | null;
      p90: number | null;
      total: number;
    };
    const rows = await this.ds.query<Row[]>(
      `SELECT COALESCE(p.alias, '') AS alias, count(*)::int AS predictions, count(f.prediction_id)::int AS labelled,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.created_at - p.created_at)) AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM f.created_at - p.created_at)) AS p90,
              grouping(COALESCE(p.alias, '')) AS total
       FROM inference.predictions p LEFT JOIN inference.feedback f ON ${LABEL_JOIN}
       WHERE ${where} GROUP BY ROLLUP (COALESCE(p.alias, ''))`,
      params,
    );
    const total = rows.find((r) => r.total === 1);
    return {
      predictions: total?.predictions ?? 0,
      labelled: total?.labelled ?? 0,
      byAlias: Object.fromEntries(rows.filter((r) => r !== total).map((r) => [r.alias, r.predictions])),
      delayP50Seconds: total?.p50 ?? null,
      delayP90Seconds: total?.p90 ?? null,
    };
  }

  /**
   * The window's shadow records (alias shadow; `window.version` the shadow's version if given),
   * each with the prediction it shadows and that one's label, in time order, a page at a time.
   * A shadow whose answered prediction is not in the log (sampled out, dropped) is left out.
   */
  async shadowPairs(window: LogWindow, page: PageRequest = {}): Promise<Page<ShadowPair>> {
    const { limit, after } = checkPage(window, page);
    const params: unknown[] = [];
    const where = windowFilter({ ...window, alias: SHADOW_ALIAS }, after, params);
    type Row = {
      micros: string;
      id: string;
      time: Date;
      version: number;
      output: Record<string, unknown>;
      answered_id: string;
      answered_version: number;
      answered_alias: string | null;
      answered_output: Record<string, unknown>;
      label: string | number | null;
    };
    // The answered prediction was logged at or before its shadow (the shadow runs after the
    // answer): the bound on its time lets PostgreSQL look it up in one day's partition.
    const rows = await this.ds.query<Row[]>(
      `SELECT ${CURSOR_COLUMNS}, p.created_at AS time, p.version, p.output, a.id AS answered_id,
              a.version AS answered_version, a.alias AS answered_alias, a.output AS answered_output, f.label
       FROM inference.predictions p
       JOIN inference.predictions a ON a.id = p.shadow_of
        AND a.created_at <= p.created_at AND a.created_at > p.created_at - interval '1 hour'
       LEFT JOIN inference.feedback f ON f.prediction_id = p.shadow_of
       WHERE ${where} ORDER BY p.created_at, p.id LIMIT ${limit + 1}`,
      params,
    );
    return pageOf(rows, limit, (r) => ({
      id: r.id,
      time: r.time,
      version: r.version,
      output: r.output,
      answered: { id: r.answered_id, version: r.answered_version, alias: r.answered_alias, output: r.answered_output },
      label: r.label,
    }));
  }

  /**
   * Predictions logged in each `bucket` (UTC) overlapping the window, empty buckets included (count
   * 0), oldest first; only rows inside the window are counted, so the first and last buckets may be
   * partial. With no version in the window, also the count of each version that has rows in it.
   */
  async counts(window: LogWindow, bucket: TimeBucket): Promise<PredictionCount[]> {
    const size = checkBuckets(window, bucket);
    const params: unknown[] = [BUCKET_INTERVAL[bucket]];
    const where = windowFilter(window, null, params);
    const rows = await this.ds.query<{ start: Date; version: number; count: number }[]>(
      `SELECT date_bin($1::interval, p.created_at, timestamptz 'epoch') AS start, p.version, count(*)::int AS count
       FROM inference.predictions p WHERE ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    const byStart = new Map<number, { version: number; count: number }[]>();
    for (const r of rows) {
      const t = r.start.getTime();
      const list = byStart.get(t) ?? [];
      list.push({ version: r.version, count: r.count });
      byStart.set(t, list);
    }
    return bucketStarts(window.from.getTime(), window.to.getTime(), size).map((t) => {
      const versions = byStart.get(t) ?? [];
      const count = versions.reduce((n, v) => n + v.count, 0);
      return window.version === undefined
        ? { start: new Date(t), count, byVersion: versions }
        : { start: new Date(t), count };
    });
  }
}

/**
 * The WHERE clause of a window (table alias `p`), and after a cursor if given; values are bound
 * as parameters appended to `params`. The cursor's time is also a plain bound on created_at,
 * which the time index can use (a row comparison is not).
 */
function windowFilter(w: LogWindow, after: Cursor | null, params: unknown[]): string {
  const bind = (value: unknown) => `$${params.push(value)}`;
  const parts = [`p.model = ${bind(w.model)}`, `p.created_at >= ${bind(w.from)}`, `p.created_at < ${bind(w.to)}`];
  if (w.version !== undefined) parts.push(`p.version = ${bind(w.version)}`);
  if (w.alias !== undefined) parts.push(`p.alias = ${bind(w.alias)}`);
  if (after) {
    const time = `timestamptz 'epoch' + ${bind(after.micros)}::int8 * interval '1 microsecond'`;
    parts.push(`p.created_at >= ${time}`, `(p.created_at, p.id) > (${time}, ${bind(after.id)}::uuid)`);
  }
  return parts.join(' AND ');
}

/** A page of the first `limit` rows (the query asks one more, to know whether a next page exists). */
function pageOf<R extends { micros: string; id: string }, T>(rows: R[], limit: number, item: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(item), next: more ? encodeCursor({ micros: last.micros, id: last.id }) : null };
}
