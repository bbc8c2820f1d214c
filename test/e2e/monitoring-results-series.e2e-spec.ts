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
});
