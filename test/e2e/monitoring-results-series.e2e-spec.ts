import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { MonitoringResults, type MonitoringResult } from '../../src/monitoring/results/monitoring-results';
import { ResultsSeries } from '../../src/monitoring/results/results-series';
import { connectionEnv, createTestDatabase, dropTestDatabase } from '../support/database';

const T0 = Date.UTC(2025, 0, 15);
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN);

/** One reader of monitoring.results series, both ways its callers read (real PostgreSQL). */
describe('ResultsSeries.read: every window (the comparison) or downsampled (the API)', () => {
  let db: string;
  let ds: DataSource;
  let series: ResultsSeries;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(loadConfig({ ...connectionEnv(), PGDATABASE: db, NODE_ENV: 'test' })));
    await ds.initialize();
    series = new ResultsSeries(ds);
    // Windows of 10 minutes ending every 10 minutes over an hour, two versions, two statistics; one
    // window straddles the span's start (from minute -5 to 5).
    const rows: MonitoringResult[] = [];
    for (const version of [1, 2])
      for (let end = 10; end <= 60; end += 10)
        for (const statistic of ['realised_accuracy', 'estimated_accuracy'])
          rows.push({
            model: 'credit',
            version,
            windowStart: at(end - 10),
            windowEnd: at(end),
            column: '',
            statistic,
            value: version + end / 100,
            verdict: null,
          });
    rows.push({ ...rows[0], windowStart: at(-5), windowEnd: at(5), value: 0.5 });
    rows.push({ ...rows[0], statistic: 'drift', value: 1 });
    // Model `aligned`: the same windows, and some not aligned on 10 minutes: a sliding window (5 to 15)
    // and one of 20 minutes ending on an aligned end.
    rows.push(...rows.map((r) => ({ ...r, model: 'aligned' })));
    rows.push({ ...rows[0], model: 'aligned', windowStart: at(5), windowEnd: at(15), value: 0.6 });
    rows.push({ ...rows[0], model: 'aligned', windowStart: at(0), windowEnd: at(20), value: 0.7 });
    await new MonitoringResults(ds).write(rows);
  });
  afterAll(async () => {
    await ds.destroy();
    await dropTestDatabase(db);
  });

  it('without points: every window wholly inside the span (with inside), oldest first, by version and statistic', async () => {
    const rows = await series.read({
      model: 'credit',
      prefixes: ['realised_', 'estimated_'],
      from: at(0),
      to: at(30),
      inside: true,
    });
    expect(rows.map((r) => `${r.windowEnd.getTime() - T0}/${r.version}/${r.statistic}`)).toEqual(
      [10, 20, 30].flatMap((m) =>
        [1, 2].flatMap((v) => [`${m * MIN}/${v}/estimated_accuracy`, `${m * MIN}/${v}/realised_accuracy`]),
      ),
    );
    // Without `inside`, the window that began before the span is in too.
    const all = await series.read({ model: 'credit', statistics: ['realised_accuracy'], from: at(0), to: at(30) });
    expect(all.filter((r) => r.version === 1).map((r) => r.value)).toEqual([0.5, 1.1, 1.2, 1.3]);
  });

  it('with points: the newest window of each slot per series, ordered by series', async () => {
    const rows = await series.read({
      model: 'credit',
      statistics: ['realised_accuracy'],
      version: 2,
      from: at(0),
      to: at(60),
      points: 3,
    });
    // Slots of 20 minutes counted from the epoch, [0, 20), [20, 40), [40, 60), [60, 80): the newest window ending in each.
    expect(rows.map((r) => [r.version, r.windowEnd.getTime() - T0, r.value])).toEqual([
      [2, 10 * MIN, 2.1],
      [2, 30 * MIN, 2.3],
      [2, 50 * MIN, 2.5],
      [2, 60 * MIN, 2.6],
    ]);
  });

  it('alignedMs: only the windows of that length starting on its multiples, every one or downsampled', async () => {
    const q = { model: 'aligned', prefixes: ['realised_', 'estimated_'], from: at(0), to: at(60), alignedMs: 10 * MIN };
    const every = await series.read({ ...q, inside: true });
    expect(every.map((r) => `${r.windowEnd.getTime() - T0}/${r.version}/${r.statistic}`)).toEqual(
      [10, 20, 30, 40, 50, 60].flatMap((m) =>
        [1, 2].flatMap((v) => [`${m * MIN}/${v}/estimated_accuracy`, `${m * MIN}/${v}/realised_accuracy`]),
      ),
    );
    expect(every.every((r) => r.windowEnd.getTime() - r.windowStart.getTime() === 10 * MIN)).toBe(true);
    // The straddling window (-5 to 5) is not aligned either: with or without `inside`, the same rows.
    expect(await series.read(q)).toEqual(every);
    // A span off the multiples: the windows ending in (from, to] only.
    const off = await series.read({
      ...q,
      statistics: ['realised_accuracy'],
      prefixes: [],
      version: 1,
      from: at(15),
      to: at(45),
    });
    expect(off.map((r) => r.value)).toEqual([1.2, 1.3, 1.4]);
    const down = await series.read({ ...q, statistics: ['realised_accuracy'], prefixes: [], version: 2, points: 3 });
    expect(down.map((r) => [r.windowEnd.getTime() - T0, r.value])).toEqual([
      [10 * MIN, 2.1],
      [30 * MIN, 2.3],
      [50 * MIN, 2.5],
      [60 * MIN, 2.6],
    ]);
  });
});
