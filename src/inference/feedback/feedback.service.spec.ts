import type { DataSource } from 'typeorm';
import { FakeModelCache } from '../../../test/support/fake-model-cache';
import { refusal } from '../../../test/support/failures';
import { CREDIT, scriptedModel } from '../../../test/support/scripted-model';
import { strict } from '../../../test/support/strict';
import type { BundleSignature } from '../../ml';
import type { BufferStats } from '../prediction-log/prediction-buffer';
import type { PredictionLog } from '../prediction-log/prediction-log.service';
import { FeedbackService, type FeedbackItem } from './feedback.service';

// Predictions in the log table: by credit v1 (classes bad, good), credit v2 (three classes),
// price v1 (regression) and grade v1 (numeric class codes).
const BY_V1 = '0190a000-0000-7000-8000-000000000001';
const BY_V2 = '0190a000-0000-7000-8000-000000000002';
const BY_PRICE = '0190a000-0000-7000-8000-000000000003';
const BY_GRADE = '0190a000-0000-7000-8000-000000000004';
/** Answered, but its row still waits in the log's buffer. */
const BUFFERED = '0190a000-0000-7000-8000-000000000005';
const UNKNOWN = '0190a000-0000-7000-8000-0000000000ff';

const target = (over: Partial<BundleSignature['target']>): BundleSignature => ({
  ...CREDIT,
  target: { ...CREDIT.target, ...over },
});
const THREE_CLASSES = target({ task: 'multiclass', classes: ['bad', 'good', 'review'], positiveClass: undefined });
const PRICE = target({
  name: 'Price',
  type: 'number',
  task: 'regression',
  classes: undefined,
  positiveClass: undefined,
});
const GRADE = target({
  name: 'Grade',
  type: 'integer',
  task: 'multiclass',
  classes: ['1', '2', '3'],
  positiveClass: undefined,
});

/** The caller of every test: a feedback token. */
const FB = { id: 'token:fb', isAdmin: false };

const CREATED = new Date('2025-01-02T03:04:05.000Z');
const UPDATED = new Date('2025-01-03T03:04:05.000Z');

interface Options {
  /** Whether the log can write its buffered rows now. */
  flushes?: boolean;
}

/**
 * The service over a fake database (the log table and inference.feedback, read by the two
 * statements the service runs), a fake prediction log (rows buffered until a flush) and the fake
 * cache of the versions that predicted.
 */
function setup({ flushes = true }: Options = {}) {
  const table = new Map<string, { model: string; version: number }>([
    [BY_V1, { model: 'credit', version: 1 }],
    [BY_V2, { model: 'credit', version: 2 }],
    [BY_PRICE, { model: 'price', version: 1 }],
    [BY_GRADE, { model: 'grade', version: 1 }],
  ]);
  const buffered = new Map([[BUFFERED, { model: 'credit', version: 1 }]]);
  const lookups: string[][] = [];
  const inserts: unknown[][] = [];
  let flushed = 0;
  const query = async (sql: string, params: unknown[]): Promise<unknown[]> => {
    if (sql.startsWith('SELECT DISTINCT id::text AS id, model, version FROM inference.predictions')) {
      const ids = params[0] as string[];
      lookups.push(ids);
      return ids.flatMap((id) => (table.has(id) ? [{ id, ...table.get(id)! }] : []));
    }
    if (sql.trimStart().startsWith('INSERT INTO inference.feedback')) {
      inserts.push(params);
      const [ids, models, versions, labels] = params as [string[], string[], number[], string[]];
      // PostgreSQL's RETURNING order is not the request's: answer in reverse.
      return ids
        .map((id, i) => ({
          prediction_id: id,
          model: models[i],
          version: versions[i],
          label: JSON.parse(labels[i]) as unknown,
          created_at: CREATED,
          updated_at: UPDATED,
        }))
        .reverse();
    }
    throw new Error(`unexpected SQL: ${sql}`);
  };
  const ds = strict<DataSource>('dataSource', {
    query,
    transaction: async (work: (m: { query: typeof query }) => Promise<unknown>) => work({ query }),
  });
  const log = strict<PredictionLog>('log', {
    stats: (): BufferStats => ({ buffered: buffered.size, written: table.size, dropped: 0, failedFlushes: 0 }),
    flush: async () => {
      flushed++;
      if (!flushes) return false;
      for (const [id, source] of buffered) table.set(id, source);
      buffered.clear();
      return true;
    },
  });
  const cache = new FakeModelCache()
    .add(scriptedModel({ version: 1 }), 'production')
    .add(scriptedModel({ version: 2, signature: THREE_CLASSES }))
    .add(scriptedModel({ model: 'price', version: 1, signature: PRICE }))
    .add(scriptedModel({ model: 'grade', version: 1, signature: GRADE }));
  const service = new FeedbackService(ds, log, cache.asCache());
  const give = (items: FeedbackItem[]) => service.give(items, FB, (i) => `items[${i}].`);
  return { service, give, cache, lookups, inserts, flushes: () => flushed, buffered };
}

const stored = (predictionId: string, label: string | number, model: string, version: number) => ({
  predictionId,
  label,
  model,
  version,
  createdAt: CREATED.toISOString(),
  updatedAt: UPDATED.toISOString(),
});

describe('FeedbackService: labels', () => {
  it('stores a label of the classes of the version that predicted, given by the caller', async () => {
    const { give, inserts, cache } = setup();
    expect(await give([{ predictionId: BY_V2, label: 'review' }])).toEqual([stored(BY_V2, 'review', 'credit', 2)]);
    expect(inserts).toEqual([[[BY_V2], ['credit'], [2], ['"review"'], 'token:fb']]);
    expect(cache.calls).toEqual(['acquire credit@v2']);
    expect(cache.outstanding).toBe(0);
  });

  it("refuses a label outside that version's classes (422 naming the field), and writes nothing", async () => {
    const { service, inserts } = setup();
    // 'review' is a class of v2, not of v1, which made this prediction.
    const err = await refusal(service.give([{ predictionId: BY_V1, label: 'review' }], FB, () => ''));
    expect(err.status).toBe(422);
    expect(err.details).toEqual([
      { field: 'label', message: 'must be one of the classes of Status: bad, good', index: 0 },
    ]);
    expect(inserts).toEqual([]);
  });

  it('takes a finite number for a regression target, and refuses anything else', async () => {
    const { give } = setup();
    expect(await give([{ predictionId: BY_PRICE, label: 12.5 }])).toEqual([stored(BY_PRICE, 12.5, 'price', 1)]);
    for (const label of ['12.5', Number.NaN, Number.POSITIVE_INFINITY, null]) {
      expect((await refusal(give([{ predictionId: BY_PRICE, label }]))).details).toEqual([
        { field: 'items[0].label', message: 'must be a finite number (regression target)', index: 0 },
      ]);
    }
  });

  it('takes a numeric class code sent as a JSON number as its string form', async () => {
    const { give, inserts } = setup();
    expect(await give([{ predictionId: BY_GRADE, label: 2 }])).toEqual([stored(BY_GRADE, '2', 'grade', 1)]);
    expect(inserts[0][3]).toEqual(['"2"']);
    expect((await refusal(give([{ predictionId: BY_GRADE, label: 4 }]))).details).toMatchObject([
      { message: 'must be one of the classes of Grade: 1, 2, 3' },
    ]);
    expect((await refusal(give([{ predictionId: BY_GRADE, label: true }]))).status).toBe(422);
  });
});

describe('FeedbackService: unknown predictions', () => {
  it('answers 404 naming each unknown id, never asking the database about an id that is not a uuid', async () => {
    const { give, lookups, inserts } = setup();
    const err = await refusal(
      give([
        { predictionId: BY_V1, label: 'good' },
        { predictionId: UNKNOWN, label: 'good' },
        { predictionId: 'not-a-uuid', label: 'bad' },
      ]),
    );
    expect(err.status).toBe(404);
    expect(err.message).toBe('2 predictions not found');
    expect(err.details).toEqual([
      { field: 'items[1].predictionId', message: `prediction ${UNKNOWN} not found`, index: 1 },
      { field: 'items[2].predictionId', message: 'prediction not-a-uuid not found', index: 2 },
    ]);
    // Rows are buffered: the unknown uuid is looked up again after a flush, the other never.
    expect(lookups).toEqual([[BY_V1, UNKNOWN], [UNKNOWN]]);
    expect(inserts).toEqual([]);
  });

  it('names a single unknown prediction in the message', async () => {
    const { service } = setup();
    const err = await refusal(service.give([{ predictionId: UNKNOWN, label: 'good' }], FB, () => ''));
    expect([err.status, err.message, err.details]).toEqual([
      404,
      `Prediction ${UNKNOWN} not found`,
      [{ field: 'predictionId', message: `prediction ${UNKNOWN} not found`, index: 0 }],
    ]);
  });

  it('matches an id whatever its case, answering it as the log stores it', async () => {
    const { give } = setup();
    expect(await give([{ predictionId: BY_V1.toUpperCase(), label: 'bad' }])).toEqual([
      stored(BY_V1, 'bad', 'credit', 1),
    ]);
  });
});

describe('FeedbackService: predictions not written yet', () => {
  it('looks the missing ids up again after flushing the log while rows are buffered', async () => {
    const { give, lookups, flushes } = setup();
    expect(
      await give([
        { predictionId: BY_V1, label: 'good' },
        { predictionId: BUFFERED, label: 'bad' },
      ]),
    ).toEqual([stored(BY_V1, 'good', 'credit', 1), stored(BUFFERED, 'bad', 'credit', 1)]);
    expect(flushes()).toBe(1);
    expect(lookups).toEqual([[BY_V1, BUFFERED], [BUFFERED]]);
  });

  it('answers 503 when the log cannot be written, and stores nothing', async () => {
    const { give, inserts } = setup({ flushes: false });
    const err = await refusal(give([{ predictionId: BUFFERED, label: 'bad' }]));
    expect(err.status).toBe(503);
    expect(inserts).toEqual([]);
  });

  it('flushes nothing when every id is found, or when nothing is buffered', async () => {
    const { give, flushes, buffered } = setup({ flushes: false });
    await give([{ predictionId: BY_V1, label: 'good' }]);
    buffered.clear();
    expect((await refusal(give([{ predictionId: UNKNOWN, label: 'good' }]))).status).toBe(404);
    expect(flushes()).toBe(0);
  });
});

describe('FeedbackService: batches', () => {
  it('stores every item with the version that predicted it, answered in the order given', async () => {
    const { give, inserts, cache } = setup();
    const answer = await give([
      { predictionId: BY_V1, label: 'good' },
      { predictionId: BY_V2, label: 'review' },
      { predictionId: BY_PRICE, label: 3 },
    ]);
    expect(answer).toEqual([
      stored(BY_V1, 'good', 'credit', 1),
      stored(BY_V2, 'review', 'credit', 2),
      stored(BY_PRICE, 3, 'price', 1),
    ]);
    expect(inserts).toEqual([
      [[BY_V1, BY_V2, BY_PRICE], ['credit', 'credit', 'price'], [1, 2, 1], ['"good"', '"review"', '3'], 'token:fb'],
    ]);
    expect([cache.acquired, cache.released]).toEqual([3, 3]);
  });

  it('keeps the last label of an id given twice (one row)', async () => {
    const { give, inserts } = setup();
    expect(
      await give([
        { predictionId: BY_V1, label: 'good' },
        { predictionId: BY_V1, label: 'bad' },
      ]),
    ).toEqual([stored(BY_V1, 'bad', 'credit', 1)]);
    expect(inserts[0][0]).toEqual([BY_V1]);
  });

  it('refuses the whole batch for any bad label, with one detail per bad item', async () => {
    const { give, inserts, cache } = setup();
    const err = await refusal(
      give([
        { predictionId: BY_V1, label: 'maybe' },
        { predictionId: BY_V2, label: 'review' },
        { predictionId: BY_PRICE, label: 'cheap' },
      ]),
    );
    expect(err.status).toBe(422);
    expect(err.details).toEqual([
      { field: 'items[0].label', message: 'must be one of the classes of Status: bad, good', index: 0 },
      { field: 'items[2].label', message: 'must be a finite number (regression target)', index: 2 },
    ]);
    expect(inserts).toEqual([]);
    expect(cache.outstanding).toBe(0);
  });
});
