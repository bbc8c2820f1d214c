import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { creditMeta, output } from '../../../test/support/bucket-fixture';
import { strict } from '../../../test/support/strict';
import { loadConfig } from '../../config/app-config';
import { MINUTE_MS } from './bucket-accumulator';
import { BucketRecorder } from './bucket-recorder.service';

const { meta, rest } = creditMeta();

/** A database whose INSERTs fail while `down`, and that keeps the ids it stored. */
function database() {
  const db = { down: false, attempts: [] as string[][], inserts: [] as string[][] };
  const ds = strict<DataSource>('ds', {
    query: async (sql: string, params: unknown[]) => {
      if (!sql.includes('INSERT INTO monitoring.buckets')) throw new Error(`unexpected query ${sql}`);
      const ids = params[3] as string[];
      db.attempts.push(ids);
      if (db.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      db.inserts.push(ids);
      return [];
    },
  });
  return { db, ds };
}

function recorder(env: Record<string, string> = {}) {
  const { db, ds } = database();
  return { db, r: new BucketRecorder(ds, loadConfig(env)) };
}

const observe = (r: BucketRecorder, at: number, alias = 'production') =>
  r.observe({
    model: 'credit',
    version: 1,
    alias,
    at,
    meta,
    values: rest.slice(0, 2),
    outputs: [output(0.2), output(0.9)],
  });

beforeEach(() => {
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('BucketRecorder', () => {
  it('writes only the minutes that ended; the open minute waits', async () => {
    const { db, r } = recorder();
    const now = Date.now();
    observe(r, now - MINUTE_MS);
    observe(r, now);
    expect(await r.flush()).toBe(true);
    expect(db.inserts).toHaveLength(1);
    expect(db.inserts[0]).toHaveLength(1);
    expect(r.stats()).toMatchObject({ open: 1, pending: 0, written: 1 });
  });

  it('keeps the buckets through an outage and writes them later with the same ids (no double count)', async () => {
    const { db, r } = recorder();
    observe(r, Date.now() - MINUTE_MS);
    db.down = true;
    expect(await r.flush()).toBe(false);
    expect(await r.flush()).toBe(false);
    expect(r.stats()).toMatchObject({ pending: 1, written: 0, failedFlushes: 2 });
    db.down = false;
    expect(await r.flush()).toBe(true);
    // Every attempt carries the ids drawn at sealing: a retry of a write that had in fact committed
    // (its reply lost) meets its own rows, which ON CONFLICT skips.
    expect(db.attempts).toHaveLength(3);
    expect(db.attempts[1]).toEqual(db.attempts[0]);
    expect(db.inserts).toEqual([db.attempts[0]]);
    const [id] = db.inserts[0];
    observe(r, Date.now() - MINUTE_MS, 'canary');
    await r.flush();
    expect(db.inserts[1]).not.toContain(id);
    expect(r.stats()).toMatchObject({ pending: 0, written: 2 });
  });

  it('holds at most MONITORING_BUCKETS_PENDING_MAX buckets while PostgreSQL is down, dropping the oldest', async () => {
    const { db, r } = recorder({ MONITORING_BUCKETS_PENDING_MAX: '2' });
    db.down = true;
    for (const alias of ['a', 'b', 'c']) observe(r, Date.now() - MINUTE_MS, alias);
    await r.flush();
    expect(r.stats()).toMatchObject({ pending: 2, dropped: 1 });
    db.down = false;
    await r.flush();
    expect(db.inserts[0]).toHaveLength(2);
  });

  it('writes the open minute too at shutdown, and counts nothing after', async () => {
    const { db, r } = recorder();
    observe(r, Date.now());
    await r.beforeApplicationShutdown();
    expect(db.inserts).toEqual([[expect.any(String)]]);
    observe(r, Date.now());
    expect(r.stats()).toMatchObject({ open: 0, pending: 0, written: 1 });
  });

  it('counts nothing with MONITORING_BUCKETS_ENABLED=false', async () => {
    const { db, r } = recorder({ MONITORING_BUCKETS_ENABLED: 'false' });
    observe(r, Date.now() - MINUTE_MS);
    await r.beforeApplicationShutdown();
    expect(db.inserts).toEqual([]);
    expect(r.stats().open).toBe(0);
  });
});
