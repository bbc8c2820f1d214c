/**
 * The measured side of scripts/bench/import.ts, in its own process so that its peak RSS is the
 * import's alone: imports FILE into a new dataset (schema inferred, validation and profile
 * included), then NEXT into the same dataset, then reads the first version back with
 * streamRows. Prints one JSON line.
 */
// First, as in src/main.ts: production's V8 flags.
import '../../src/bootstrap/v8-flags';
import 'reflect-metadata';
import { createReadStream } from 'node:fs';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { DatasetReader } from '../../src/data/dataset-reader.service';
import { DatasetUsageCheckers } from '../../src/data/dataset-usage';
import { DatasetsService } from '../../src/data/datasets.service';
import { CsvImportService } from '../../src/data/import/csv-import.service';
import { RowReaderService } from '../../src/data/row-reader.service';
import { dataSourceOptions } from '../../src/database/data-source-options';

async function main() {
  const file = process.argv[2];
  const config = loadConfig();
  const ds = new DataSource({ ...dataSourceOptions(config), extra: { max: 2 } });
  await ds.initialize();
  const datasets = new DatasetsService(ds, new DatasetUsageCheckers());
  const dataset = await datasets.create({ name: `bench-${Date.now()}`, target: 'Status', createdBy: 'bench' });
  const t0 = process.hrtime.bigint();
  const out = await new CsvImportService(ds, config).run({
    datasetId: dataset.id,
    source: createReadStream(file, { highWaterMark: 1 << 16 }),
    createdBy: 'bench',
  });
  const importMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const tn = process.hrtime.bigint();
  const next = await new CsvImportService(ds, config).run({
    datasetId: dataset.id,
    source: createReadStream(process.argv[3], { highWaterMark: 1 << 16 }),
    createdBy: 'bench',
  });
  const nextMs = Number(process.hrtime.bigint() - tn) / 1e6;
  const importRss = process.resourceUsage().maxRSS * 1024;
  const reader = new DatasetReader(datasets, new RowReaderService(ds));
  const t1 = process.hrtime.bigint();
  let read = 0;
  for await (const batch of reader.streamRows(out.versionId, { batchSize: 10_000 })) read += batch.length;
  const readMs = Number(process.hrtime.bigint() - t1) / 1e6;
  await ds.destroy();
  process.stdout.write(
    JSON.stringify({
      rows: out.rows,
      rejected: out.rejected,
      importMs,
      importRss,
      nextRows: next.rows + next.rejected,
      nextMs,
      read,
      readMs,
      totalRss: process.resourceUsage().maxRSS * 1024,
    }) + '\n',
  );
}

void main();
