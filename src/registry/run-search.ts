import type { ErrorDetailInput } from '../common/errors/domain-error';
import { RegistryError, RegistryErrorCode } from './registry.errors';
import { RUN_STATUSES, type RunStatus } from './entities/run.entity';

/**
 * `GET /runs` filters, parsed from the raw query string and turned into SQL whose user-given
 * names (parameter and metric keys) and values are all bind parameters, never SQL text.
 *
 *   experiment=<id or name>   status=running,finished   param.<name>=<value>
 *   metric.<name>_<gt|gte|lt|lte|eq>=<number>           orderBy=metric.<name>|started_at|ended_at|name
 *   order=asc|desc            limit=1..200 (50)         offset>=0
 */
export const RUN_SEARCH_SYNTAX =
  'Filters: `experiment` (id or name), `status` (comma-separated: running, finished, failed, killed), ' +
  '`param.<name>=<value>` (exact match on a run parameter, repeatable), `metric.<name>_<op>=<number>` with op one of ' +
  'gt, gte, lt, lte, eq (on final metrics, repeatable; e.g. `metric.roc_auc_gt=0.8`). Ordering: `orderBy=metric.<name>` ' +
  '(runs without it last) or `started_at` (default), `ended_at`, `name`; `order=asc|desc` (default desc). ' +
  'Paging: `limit` 1-200 (default 50), `offset`.';

export const KEY_PATTERN = /^[A-Za-z0-9_.\-/ ]{1,250}$/;
const METRIC_OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=' } as const;
type MetricOp = keyof typeof METRIC_OPS;
const COLUMNS = { started_at: 'r.started_at', ended_at: 'r.ended_at', name: 'r.name' } as const;
type OrderColumn = keyof typeof COLUMNS;

export interface RunSearch {
  experiment?: string;
  statuses?: RunStatus[];
  params: { key: string; value: string }[];
  metrics: { key: string; op: MetricOp; value: number }[];
  orderBy: { metric: string } | { column: OrderColumn };
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

type RawQuery = Record<string, string | string[] | undefined>;

export function parseRunSearch(query: RawQuery): RunSearch {
  const errors: ErrorDetailInput[] = [];
  const search: RunSearch = {
    params: [],
    metrics: [],
    orderBy: { column: 'started_at' },
    order: 'desc',
    limit: 50,
    offset: 0,
  };
  for (const [field, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    const values = Array.isArray(raw) ? raw : [raw];
    const single = values[values.length - 1];
    if (field === 'experiment') search.experiment = single;
    else if (field === 'status') {
      const statuses = single.split(',').map((s) => s.trim());
      const bad = statuses.filter((s) => !(RUN_STATUSES as readonly string[]).includes(s));
      if (bad.length)
        errors.push({ field, message: `unknown status ${bad.join(', ')}; use ${RUN_STATUSES.join(', ')}` });
      else search.statuses = statuses as RunStatus[];
    } else if (field.startsWith('param.')) {
      const key = field.slice('param.'.length);
      if (!KEY_PATTERN.test(key)) errors.push({ field, message: 'invalid parameter name' });
      else for (const value of values) search.params.push({ key, value });
    } else if (field.startsWith('metric.')) {
      const match = /^metric\.(.+)_(gt|gte|lt|lte|eq)$/.exec(field);
      if (!match || !KEY_PATTERN.test(match[1])) {
        errors.push({ field, message: 'use metric.<name>_<gt|gte|lt|lte|eq>=<number>' });
        continue;
      }
      for (const value of values) {
        const n = Number(value);
        if (value.trim() === '' || !Number.isFinite(n)) errors.push({ field, message: 'must be a number' });
        else search.metrics.push({ key: match[1], op: match[2] as MetricOp, value: n });
      }
    } else if (field === 'orderBy') {
      if (single.startsWith('metric.') && KEY_PATTERN.test(single.slice(7)))
        search.orderBy = { metric: single.slice(7) };
      else if (single in COLUMNS) search.orderBy = { column: single as OrderColumn };
      else errors.push({ field, message: `use metric.<name> or one of ${Object.keys(COLUMNS).join(', ')}` });
    } else if (field === 'order') {
      if (single === 'asc' || single === 'desc') search.order = single;
      else errors.push({ field, message: 'must be asc or desc' });
    } else if (field === 'limit' || field === 'offset') {
      const n = Number(single);
      const [min, max] = field === 'limit' ? [1, 200] : [0, Number.MAX_SAFE_INTEGER];
      if (!Number.isInteger(n) || n < min || n > max)
        errors.push({ field, message: `must be an integer from ${min} to ${max}` });
      else search[field] = n;
    } else {
      errors.push({ field, message: 'unknown filter' });
    }
  }
  if (errors.length) throw new RegistryError(RegistryErrorCode.INVALID_RUN_SEARCH, 'Invalid run search', errors);
  return search;
}

/** WHERE, ORDER BY and paging over `registry.runs r JOIN registry.experiments e`, with bind values. */
export function runSearchSql(search: RunSearch): { where: string; orderBy: string; paging: string; values: unknown[] } {
  const values: unknown[] = [];
  const bind = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const conditions: string[] = [];
  if (search.experiment !== undefined) {
    const p = bind(search.experiment);
    conditions.push(`(e.id::text = ${p} OR e.name = ${p})`);
  }
  if (search.statuses) conditions.push(`r.status = ANY(${bind(search.statuses)}::text[])`);
  for (const { key, value } of search.params) conditions.push(`r.params ->> ${bind(key)} = ${bind(value)}`);
  for (const { key, op, value } of search.metrics) {
    // jsonb_typeof guard: a non-numeric value would make the cast fail the whole query.
    const k = bind(key);
    conditions.push(
      `(jsonb_typeof(r.metrics -> ${k}) = 'number' AND (r.metrics ->> ${k})::float8 ${METRIC_OPS[op]} ${bind(value)})`,
    );
  }
  const dir = search.order === 'asc' ? 'ASC' : 'DESC';
  const orderBy =
    'metric' in search.orderBy
      ? `(r.metrics ->> ${bind(search.orderBy.metric)})::float8 ${dir} NULLS LAST, r.started_at DESC, r.id`
      : `${COLUMNS[search.orderBy.column]} ${dir} NULLS LAST, r.id`;
  const paging = `LIMIT ${bind(search.limit)} OFFSET ${bind(search.offset)}`;
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', orderBy, paging, values };
}
