import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ErrorDetailInput } from '../common/errors/domain-error';

export type ImportStatus = 'queued' | 'running' | 'succeeded' | 'duplicate' | 'failed';

const bigintAsNumber = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * The progress of one import attempt, written outside the import's own transaction so that it
 * can be polled (and survives a failed import, to say why).
 */
@Entity({ schema: 'data', name: 'imports' })
export class ImportJobEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'dataset_id' })
  datasetId!: string;

  @Column('text')
  status!: ImportStatus;

  @Column('text', { name: 'source_name', nullable: true })
  sourceName!: string | null;

  @Column('bigint', { name: 'rows_read', transformer: bigintAsNumber })
  rowsRead!: number;

  @Column('bigint', { name: 'rows_rejected', transformer: bigintAsNumber })
  rowsRejected!: number;

  @Column('bigint', { name: 'bytes_read', transformer: bigintAsNumber })
  bytesRead!: number;

  @Column('bigint', { name: 'bytes_total', nullable: true, transformer: bigintAsNumber })
  bytesTotal!: number | null;

  @Column('uuid', { name: 'version_id', nullable: true })
  versionId!: string | null;

  @Column('jsonb', { nullable: true })
  error!: { statusCode: number; message: string; details: ErrorDetailInput[] } | null;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'heartbeat_at' })
  heartbeatAt!: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}
