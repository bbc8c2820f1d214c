import { DataSource } from 'typeorm';
import { BucketRollups, MonitoringBuckets, type BucketAggregate } from '../../src/monitoring';
import { sumAggregates } from '../../src/monitoring/buckets/bucket-aggregate';
import { BucketAccumulator } from '../../src/monitoring/buckets/bucket-accumulator';
import { insertBuckets, deleteOldBuckets } from '../../src/monitoring/buckets/bucket-store';
import { creditMeta, output, type Values } from '../support/bucket-fixture';
import { startTestApp, type TestApp } from '../support/test-app';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * Hourly roll-ups on the real PostgreSQL: a window's sum read through them equals the sum of its
 * minute rows alone (ragged edges, aliases, versions), late rows of a rolled hour included, and the
 * retention sweep cutting into an hour.
 */
describe('monitoring bucket roll-ups', () => {
  let t: TestApp;
  let ds: DataSource;
  let reader: MonitoringBuckets;
  let rollups: BucketRollups;
  const { meta, rest } = creditMeta();
  const now = new Date();
  // Three whole hours two days ago, with ragged minutes on either side.
  const H = Math.floor((now.getTime() - 50 * HOUR) / HOUR) * HOUR;
  let cursor = 0;

  /** Buckets of `replicas` replicas at `minute` (a few credit rows each, some with an unseen Home). */
  const buckets = (minute: number, version: number, alias: string | null, replicas = 2) =>
    Array.from({ length: replicas }, () => {
      const acc = new BucketAccumulator();
      const rows: Values[] = rest.slice(cursor % 3000, (cursor % 3000) + 3);
      cursor += 3;
      if (cursor % 7 === 0) rows.push({ ...rows[0], Home: `castle${cursor % 5}` });
      acc.observe({
        model: 'credit',
        version,
        alias,
        at: minute + 1000,
        meta,
        values: rows,
        outputs: rows.map((_, i) => output(((cursor + i) % 101) / 100)),
      });
      return acc.seal(minute + MINUTE)[0];
    });

  /** The window's sum from the minute rows alone (per version), as the reader summed before roll-ups. */
  const minuteOnly = async (from: number, to: number, version?: number, alias?: string) => {
    const rows = await ds.query<{ version: number; payload: BucketAggregate }[]>(
      `SELECT version, payload FROM monitoring.buckets WHERE model = 'credit' AND minute >= $1 AND minute < $2
         AND ($3::int IS NULL OR version = $3) AND ($4::text IS NULL OR alias = $4) ORDER BY version, minute, id`,
      [new Date(from), new Date(to), version ?? null, alias ?? null],
    );
    const versions = [...new Set(rows.map((r) => r.version))];
    return versions.map((v) => ({
      version: v,
      buckets: rows.filter((r) => r.version === v).length,
      aggregate: sumAggregates(rows.filter((r) => r.version === v).map((r) => r.payload))!,
    }));
  };
  // Counts are integers (equal exactly); float sums differ by the order of additions only, and the
  // unseen values (fewer than kept) by the order they were met.
  const round = (x: unknown): unknown =>
    JSON.parse(JSON.stringify(x), (k, v: unknown) =>
      typeof v === 'number'
        ? Number(v.toPrecision(10))
        : k === 'unseen'
          ? [...(v as [string, number][])].sort(([a], [b]) => a.localeCompare(b))
          : v,
    );
  const read = async (from: number, to: number, version?: number, alias?: string) =>
    (await reader.sum({ model: 'credit', version, alias, from: new Date(from), to: new Date(to) })).map((s) => ({
      version: s.version,
      buckets: s.buckets,
      aggregate: s.aggregate,
    }));
  const expectSame = async (from: number, to: number, version?: number, alias?: string) => {
    const expected = await minuteOnly(from, to, version, alias);
    expect(expected.length).toBeGreaterThan(0);
    expect(round(await read(from, to, version, alias))).toEqual(round(expected));
  };
  const hourly = async () =>
    (await ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM monitoring.buckets_hourly'))[0].n;
  const windows: [number, number, number?, string?][] = [
    [H - 17 * MINUTE, H + 3 * HOUR + 23 * MINUTE],
    [H, H + 3 * HOUR],
    [H + 5 * MINUTE, H + 2 * HOUR + 5 * MINUTE, 1],
    [H - 17 * MINUTE, H + 3 * HOUR + 23 * MINUTE, 2, 'production'],
    [H - HOUR, H + 4 * HOUR, undefined, 'canary'],
  ];

  beforeAll(async () => {
    t = await startTestApp({ INFERENCE_LOG_FLUSH_MS: '600000' });
    ds = t.app.get(DataSource);
    reader = t.app.get(MonitoringBuckets);
    rollups = t.app.get(BucketRollups);
    const sealed = [];
    for (let m = H - 17 * MINUTE; m < H + 3 * HOUR + 23 * MINUTE; m += MINUTE) {
      sealed.push(...buckets(m, 1, 'production'), ...buckets(m, 1, null, 1));
      if (m % (3 * MINUTE) === 0) sealed.push(...buckets(m, 2, 'production'), ...buckets(m, 2, 'canary', 1));
    }
    await insertBuckets(ds, sealed);
  });
  afterAll(() => t?.close());

  it('reads whole hours from their roll-ups, the edges from minutes, and the sums do not change', async () => {
    for (const w of windows) await expectSame(...w);
    const before = await Promise.all(windows.map((w) => read(...w)));
    const first = await rollups.rollUp(now);
    // Per version and alias: 3 whole hours and the 2 ragged ones, 3 + 3 + 2 groups.
    expect(first).toEqual({ rolled: 5 * 4, left: 0 });
    expect(await hourly()).toBe(20);
    expect(await rollups.rollUp(now)).toEqual({ rolled: 0, left: 0 });
    for (const w of windows) await expectSame(...w);
    expect(round(await Promise.all(windows.map((w) => read(...w))))).toEqual(round(before));
  });

  it('the roll-ups are what is read for whole hours', async () => {
    await ds.query(
      `UPDATE monitoring.buckets_hourly SET payload = jsonb_set(payload, '{rows}', to_jsonb((payload->>'rows')::int + 1000))
       WHERE version = 1 AND alias = 'production' AND hour = $1`,
      [new Date(H + HOUR)],
    );
    const [v1] = await read(H, H + 3 * HOUR, 1, 'production');
    const [expected] = await minuteOnly(H, H + 3 * HOUR, 1, 'production');
    expect(v1.aggregate.rows).toBe(expected.aggregate.rows + 1000);
    await ds.query(`DELETE FROM monitoring.buckets_hourly WHERE version = 1 AND alias = 'production' AND hour = $1`, [
      new Date(H + HOUR),
    ]);
    expect(await rollups.rollUp(now)).toEqual({ rolled: 1, left: 0 });
    await expectSame(H, H + 3 * HOUR, 1, 'production');
  });

  it('late minute rows of a rolled hour are counted at once and rolled again on the next tick', async () => {
    const late = [...buckets(H + HOUR + 30 * MINUTE, 1, 'production', 1), ...buckets(H + 2 * HOUR, 1, null, 1)];
    const [before] = await minuteOnly(H, H + 3 * HOUR, 1);
    await insertBuckets(ds, late);
    const [after] = await minuteOnly(H, H + 3 * HOUR, 1);
    expect(after.aggregate.rows).toBeGreaterThan(before.aggregate.rows);
    for (const w of windows) await expectSame(...w);
    expect(await rollups.rollUp(now)).toEqual({ rolled: 2, left: 0 });
    for (const w of windows) await expectSame(...w);
    const [{ buckets: n }] = await ds.query<{ buckets: number }[]>(
      `SELECT buckets FROM monitoring.buckets_hourly WHERE version = 1 AND alias IS NULL AND hour = $1`,
      [new Date(H + 2 * HOUR)],
    );
    expect(n).toBe(61);
  });

  it('retention drops the roll-up of an hour it cuts into, whose remaining minutes are read instead', async () => {
    const D = Math.floor((now.getTime() - 24 * HOUR) / HOUR) * HOUR;
    const sealed = [];
    for (let m = D; m < D + 2 * HOUR; m += MINUTE) sealed.push(...buckets(m, 3, 'production', 1));
    await insertBuckets(ds, sealed);
    // Rolled as the job would have an hour ago, before the cutoff (now − 1 day) reached them.
    expect(await rollups.rollUp(new Date(now.getTime() - HOUR))).toEqual({ rolled: 2, left: 0 });
    const rolledHours = async () =>
      (
        await ds.query<{ hour: Date }[]>(`SELECT hour FROM monitoring.buckets_hourly WHERE version = 3 ORDER BY hour`)
      ).map((h) => new Date(h.hour).getTime());
    expect(await rolledHours()).toEqual([D, D + HOUR]);
    await deleteOldBuckets(ds, 1);
    expect(await rolledHours()).toEqual([D + HOUR]);
    expect(await hourly()).toBe(1); // the older hours went too
    await expectSame(D, D + 2 * HOUR, 3);
    // With no retention configured here, the hour's remaining minutes are rolled up again.
    expect(await rollups.rollUp(now)).toEqual({ rolled: 1, left: 0 });
    await expectSame(D, D + 2 * HOUR, 3);
  });
});
