/**
 * Imports a CSV file into a dataset from the command line:
 *   npm run import -- --dataset credit --file data/credit_data.csv [--target Status] [--create]
 *     [--max-rejected-share 0.01] [--missing-tokens NA,null] [--confirm-schema]
 * A progress bar on a terminal, plain progress lines otherwise. Exit 0 on success (a new version,
 * or the identical existing one), 1 when the file or its rows are refused, 2 on bad usage.
 */
import 'reflect-metadata';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { DataSource } from 'typeorm';
import { DomainError } from '../src/common/errors/domain-error';
import { loadConfig } from '../src/config/app-config';
import { DatasetsService } from '../src/data/datasets.service';
import { DatasetUsageCheckers } from '../src/data/dataset-usage';
import { CsvImportService, type ImportProgress } from '../src/data/import/csv-import.service';
import { dataSourceOptions } from '../src/database/data-source-options';

const USAGE =
  'usage: npm run import -- --dataset <name> --file <path.csv> [--target <column>] [--create] [--max-rejected-share 0.01] [--missing-tokens NA,null] [--confirm-schema]';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        dataset: { type: 'string' },
        file: { type: 'string' },
        target: { type: 'string' },
        create: { type: 'boolean', default: false },
        'confirm-schema': { type: 'boolean', default: false },
        'max-rejected-share': { type: 'string' },
        'missing-tokens': { type: 'string' },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!args.dataset || !args.file) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let size: number;
  try {
    size = statSync(args.file).size;
  } catch {
    process.stderr.write(`cannot read ${args.file}\n`);
    return 2;
  }
  const share = args['max-rejected-share'] === undefined ? undefined : Number(args['max-rejected-share']);
  if (share !== undefined && !(share >= 0 && share <= 1)) {
    process.stderr.write('--max-rejected-share must be a number between 0 and 1\n');
    return 2;
  }

  const config = loadConfig();
  const dataSource = new DataSource({
    ...dataSourceOptions(config),
    extra: { max: 2, application_name: 'ml-api:import' },
  });
  await dataSource.initialize();
  const createdBy = `cli:${userInfo().username}`;
  try {
    const datasets = new DatasetsService(dataSource, new DatasetUsageCheckers());
    let ds = await datasets.findByName(args.dataset);
    let created = false;
    if (!ds) {
      if (!args.create) {
        process.stderr.write(
          `error: no dataset named ${JSON.stringify(args.dataset)} (pass --create to create it with a schema inferred from the file)\n`,
        );
        return 1;
      }
      ds = await datasets.create({ name: args.dataset, target: args.target ?? null, createdBy });
      created = true;
      process.stderr.write(`created dataset ${ds.name} (${ds.id}); its schema will be inferred from the file\n`);
    } else if (args.target && ds.target !== args.target) {
      process.stderr.write(
        `error: dataset ${ds.name} has target ${JSON.stringify(ds.target)}, not ${JSON.stringify(args.target)}\n`,
      );
      return 1;
    }
    const progress = progressReporter(size);
    const importer = new CsvImportService(dataSource, config);
    let outcome;
    try {
      outcome = await importer.run({
        datasetId: ds.id,
        source: createReadStream(args.file, { highWaterMark: 1 << 16 }),
        sourceName: basename(args.file),
        createdBy,
        maxRejectedShare: share,
        missingTokens: args['missing-tokens']?.split(',').map((t) => t.trim()),
        onProgress: progress.update,
      });
    } catch (err) {
      // A refused first import must not leave the dataset it created behind, empty.
      if (created) await removeCreated(datasets, ds.id, ds.name);
      throw err;
    } finally {
      progress.stop();
    }
    const after = await datasets.find(ds.id);
    if (outcome.status === 'duplicate') {
      process.stdout.write(
        `unchanged: the file is identical to version ${outcome.number} of ${after.name} (sha256 ${outcome.sha256}); nothing imported\n`,
      );
    } else {
      process.stdout.write(
        `imported version ${outcome.number} of ${after.name}: ${outcome.rows} rows, ${outcome.rejected} rejected, sha256 ${outcome.sha256}\n`,
      );
    }
    if (after.schemaSource === 'inferred') {
      if (args['confirm-schema']) {
        await datasets.confirmSchema(after.id);
        process.stdout.write('schema confirmed\n');
      } else {
        process.stdout.write(
          `inferred schema (confirm with --confirm-schema or POST /datasets/{id}/schema/confirm):\n${after.schema!.columns.map((c) => `  ${c.name}: ${c.type}${c.nullable ? ' (nullable)' : ''}`).join('\n')}\n`,
        );
      }
    }
    process.stdout.write(
      `${JSON.stringify({ status: outcome.status, dataset: after.name, version: outcome.number, versionId: outcome.versionId, rows: outcome.rows, rejected: outcome.rejected })}\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof DomainError) {
      process.stderr.write(`error: ${err.message}\n`);
      for (const d of err.details)
        process.stderr.write(
          `  ${[d.line !== undefined ? `line ${JSON.stringify(d.line)}` : '', d.column !== undefined ? `column ${JSON.stringify(d.column)}` : '', d.field].filter(Boolean).join(', ')}: ${d.message}${d.value !== undefined ? ` (value ${JSON.stringify(d.value)})` : ''}\n`,
        );
      return 1;
    }
    throw err;
  } finally {
    await dataSource.destroy();
  }
}

async function removeCreated(datasets: DatasetsService, id: string, name: string): Promise<void> {
  try {
    await datasets.remove(id);
    process.stderr.write(`removed dataset ${name}, created for this import\n`);
  } catch (err) {
    process.stderr.write(
      `warning: could not remove dataset ${name} (${id}), created for this import: ${err instanceof Error ? err.message : String(err)}\n`,
    );
  }
}

/** A cli-progress bar on a terminal; otherwise a plain line every 2 s and at each tenth of the file (logs, CI). */
function progressReporter(total: number) {
  const started = Date.now();
  const rate = (rows: number) => Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001));
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      {
        format: '{bar} {percentage}% | {rows} rows | {mb}/{totalMb} MB | {rate} rows/s | {rejected} rejected',
        stream: process.stderr,
      },
      Presets.shades_classic,
    );
    bar.start(total, 0, { rows: 0, mb: '0.0', totalMb: (total / 1e6).toFixed(1), rate: 0, rejected: 0 });
    return {
      update: (p: ImportProgress) =>
        bar.update(p.bytes, { rows: p.rows, mb: (p.bytes / 1e6).toFixed(1), rate: rate(p.rows), rejected: p.rejected }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  let nextTenth = 1;
  return {
    update: (p: ImportProgress) => {
      // Every 2 s, and at each tenth of the file (a fast import still reports its way through).
      const tenth = Math.floor((10 * p.bytes) / Math.max(total, 1));
      if (Date.now() - last < 2000 && tenth < nextTenth) return;
      last = Date.now();
      nextTenth = Math.max(tenth + 1, nextTenth);
      process.stderr.write(
        `progress: ${p.rows} rows, ${p.bytes}/${total} bytes (${((100 * p.bytes) / Math.max(total, 1)).toFixed(1)}%), ${rate(p.rows)} rows/s, ${p.rejected} rejected\n`,
      );
    },
    stop: () => undefined,
  };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
