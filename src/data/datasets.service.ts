import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CellValue, DatasetSchema } from '../ml';
import { DataError, DataErrorCode } from './data.errors';
import { createPartitionedTableSql, dropTableSql } from './dataset-table';
import { DatasetUsageCheckers } from './dataset-usage';
import { DatasetVersionEntity } from './dataset-version.entity';
import { DatasetEntity } from './dataset.entity';
import { lockDataset } from './import/import-sql';
import { validateSchema } from './schema-validation';
import { dataColumn, datasetTableName, isUuid, qualifiedTable, quoteIdent } from './sql/identifiers';

export interface NewDataset {
  name: string;
  target?: string | null;
  schema?: DatasetSchema | null;
  createdBy: string;
}

/** Datasets and their versions: the catalogue side of the data module. */
@Injectable()
export class DatasetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly usage: DatasetUsageCheckers,
  ) {}

  private get datasets() {
    return this.dataSource.getRepository(DatasetEntity);
  }

  private get versions() {
    return this.dataSource.getRepository(DatasetVersionEntity);
  }

  /** A declared schema fixes the row table at once; without one the first import infers it. */
  async create(input: NewDataset): Promise<DatasetEntity> {
    if (input.schema) {
      const problems = validateSchema(input.schema, input.target ?? null);
      if (problems.length) throw new DataError(DataErrorCode.INVALID_SCHEMA, 'Invalid schema', problems);
    }
    const id = randomUUID();
    return this.dataSource.transaction(async (m) => {
      const exists = await m.query<unknown[]>('SELECT 1 FROM data.datasets WHERE name = $1', [input.name]);
      if (exists.length)
        throw new DataError(
          DataErrorCode.DATASET_NAME_TAKEN,
          `A dataset named ${JSON.stringify(input.name)} already exists`,
        );
      const table = input.schema ? datasetTableName(id) : null;
      if (input.schema) await m.query(createPartitionedTableSql(table!, input.schema));
      await m.query(
        'INSERT INTO data.datasets (id, name, target, schema, schema_source, table_name, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [
          id,
          input.name,
          input.target ?? null,
          input.schema ? JSON.stringify(input.schema) : null,
          input.schema ? 'declared' : 'none',
          table,
          input.createdBy,
        ],
      );
      return m.getRepository(DatasetEntity).findOneByOrFail({ id });
    });
  }

  list(limit: number, offset: number): Promise<[DatasetEntity[], number]> {
    return this.datasets.findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, take: limit, skip: offset });
  }

  /** By id or by name. */
  async find(ref: string): Promise<DatasetEntity> {
    const ds = isUuid(ref) ? await this.datasets.findOneBy({ id: ref }) : null;
    const found = ds ?? (await this.datasets.findOneBy({ name: ref }));
    if (!found) throw new DataError(DataErrorCode.DATASET_NOT_FOUND, 'Dataset not found');
    return found;
  }

  async findByName(name: string): Promise<DatasetEntity | null> {
    return this.datasets.findOneBy({ name });
  }

  /** Accepts the schema the first import inferred (it is already in use; confirming records the review). */
  async confirmSchema(ref: string): Promise<DatasetEntity> {
    const ds = await this.find(ref);
    if (ds.schemaSource !== 'inferred')
      throw new DataError(
        DataErrorCode.SCHEMA_NOT_INFERRED,
        `The schema is ${ds.schemaSource === 'none' ? 'not inferred yet (import a file first)' : ds.schemaSource}, there is nothing to confirm`,
      );
    await this.datasets.update({ id: ds.id }, { schemaSource: 'confirmed' });
    return this.find(ds.id);
  }

  listVersions(datasetId: string): Promise<DatasetVersionEntity[]> {
    return this.versions.find({ where: { datasetId }, order: { number: 'ASC' } });
  }

  /** A version by number, or the latest one. */
  async version(datasetId: string, number?: number): Promise<DatasetVersionEntity> {
    const v =
      number === undefined
        ? await this.versions.findOne({ where: { datasetId }, order: { number: 'DESC' } })
        : await this.versions.findOneBy({ datasetId, number });
    if (!v) throw new DataError(DataErrorCode.DATASET_VERSION_NOT_FOUND, 'Dataset version not found');
    return v;
  }

  async versionById(versionId: string): Promise<DatasetVersionEntity> {
    const v = isUuid(versionId) ? await this.versions.findOneBy({ id: versionId }) : null;
    if (!v) throw new DataError(DataErrorCode.DATASET_VERSION_NOT_FOUND, 'Dataset version not found');
    return v;
  }

  async rejected(versionId: string, limit: number, offset: number) {
    const rows: { line: number; column: string; value: string; reason: string }[] = await this.dataSource.query(
      'SELECT line, column_name AS "column", value, reason FROM data.rejected_rows WHERE version_id = $1 ORDER BY seq LIMIT $2 OFFSET $3',
      [versionId, limit, offset],
    );
    return rows;
  }

  /** One page of typed rows, after row `after` (keyset cursor on row_no). */
  async rowsPage(ds: DatasetEntity, v: DatasetVersionEntity, after: number, limit: number) {
    const cols = v.schema.columns.map((_, i) => quoteIdent(dataColumn(i))).join(', ');
    const raw: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT row_no, ${cols} FROM ${qualifiedTable(ds.tableName!)} WHERE version_id = $1 AND row_no > $2 ORDER BY row_no LIMIT $3`,
      [v.id, after, limit],
    );
    const rows = raw.map((r) => {
      const out: Record<string, CellValue> = Object.create(null) as Record<string, CellValue>;
      v.schema.columns.forEach((c, i) => {
        const x = r[dataColumn(i)] as CellValue;
        out[c.name] = x !== null && c.type === 'integer' ? Number(x) : x;
      });
      return out;
    });
    const last = raw.length ? Number(raw[raw.length - 1].row_no) : null;
    return { rows, nextCursor: raw.length === limit && last !== null ? String(last) : null };
  }

  /** Admin only. Refused (409) when a version is in use (DatasetUsageChecker, e.g. a registered model). */
  async remove(ref: string): Promise<void> {
    const ds = await this.find(ref);
    await this.dataSource.transaction(async (m) => {
      await lockDataset({ query: async (sql, params) => ({ rows: await m.query(sql, params) }) }, ds.id);
      const ids = await m.query<{ id: string }[]>('SELECT id FROM data.dataset_versions WHERE dataset_id = $1', [
        ds.id,
      ]);
      const used = await this.usage.usages(ids.map((r) => r.id));
      if (used.length) {
        const details = used.map((u) => ({ field: 'versionId', message: `used by ${u.usedBy}`, value: u.versionId }));
        throw new DataError(
          DataErrorCode.DATASET_IN_USE,
          'The dataset has versions in use and cannot be deleted',
          details,
        );
      }
      if (ds.tableName) await m.query(dropTableSql(ds.tableName));
      await m.query('DELETE FROM data.datasets WHERE id = $1', [ds.id]);
    });
  }
}
