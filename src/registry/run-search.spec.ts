import { REGISTRY_ERROR_STATUS, RegistryError, RegistryErrorCode } from './registry.errors';
import { parseRunSearch, runSearchSql } from './run-search';

describe('parseRunSearch', () => {
  it('parses filters, ordering and paging', () => {
    const s = parseRunSearch({
      experiment: 'churn',
      status: 'finished,failed',
      'param.lr': '0.01',
      'metric.roc_auc_gt': '0.8',
      'metric.log_loss_lte': ['1', '0.5'],
      orderBy: 'metric.roc_auc',
      order: 'asc',
      limit: '10',
      offset: '20',
    });
    expect(s).toEqual({
      experiment: 'churn',
      statuses: ['finished', 'failed'],
      params: [{ key: 'lr', value: '0.01' }],
      metrics: [
        { key: 'roc_auc', op: 'gt', value: 0.8 },
        { key: 'log_loss', op: 'lte', value: 1 },
        { key: 'log_loss', op: 'lte', value: 0.5 },
      ],
      orderBy: { metric: 'roc_auc' },
      order: 'asc',
      limit: 10,
      offset: 20,
    });
  });

  it('defaults to newest first, 50 a page', () => {
    expect(parseRunSearch({})).toEqual({
      params: [],
      metrics: [],
      orderBy: { column: 'started_at' },
      order: 'desc',
      limit: 50,
      offset: 0,
    });
  });

  it('names every bad field in a 422', () => {
    let error: unknown;
    try {
      parseRunSearch({
        status: 'done',
        'metric.auc_bigger': '1',
        'metric.auc_gt': 'x',
        "param.a'b": '1',
        limit: '500',
        colour: 'red',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).code).toBe(RegistryErrorCode.INVALID_RUN_SEARCH);
    expect(REGISTRY_ERROR_STATUS[(error as RegistryError).code]).toBe(422);
    expect((error as RegistryError).details.map((d) => d.field)).toEqual([
      'status',
      'metric.auc_bigger',
      'metric.auc_gt',
      "param.a'b",
      'limit',
      'colour',
    ]);
  });
});

describe('runSearchSql', () => {
  it('binds every user-given name and value', () => {
    const sql = runSearchSql(
      parseRunSearch({ 'param.lr': '0.01', 'metric.roc_auc_gte': '0.8', orderBy: 'metric.f1', experiment: 'x' }),
    );
    expect(sql.where).toBe(
      "WHERE (e.id::text = $1 OR e.name = $1) AND r.params ->> $2 = $3 AND (jsonb_typeof(r.metrics -> $4) = 'number' AND (r.metrics ->> $4)::float8 >= $5)",
    );
    expect(sql.orderBy).toBe('(r.metrics ->> $6)::float8 DESC NULLS LAST, r.started_at DESC, r.id');
    expect(sql.paging).toBe('LIMIT $7 OFFSET $8');
    expect(sql.values).toEqual(['x', 'lr', '0.01', 'roc_auc', 0.8, 'f1', 50, 0]);
    expect(sql.where + sql.orderBy).not.toMatch(/lr|roc_auc|f1/);
  });

  it('orders by a column without user text', () => {
    const sql = runSearchSql(parseRunSearch({ orderBy: 'ended_at', order: 'asc', status: 'running' }));
    expect(sql.where).toBe('WHERE r.status = ANY($1::text[])');
    expect(sql.orderBy).toBe('r.ended_at ASC NULLS LAST, r.id');
  });
});
