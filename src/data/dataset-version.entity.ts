import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { DatasetSchema } from '../ml';
import type { DatasetProfile } from './profile/dataset-profile';

// bigint columns come back from pg as strings; counts stay far below 2^53.
const bigintAsNumber = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** An immutable import result. Never updated after its transaction commits. */
@Entity({ schema: 'data', name: 'dataset_versions' })
export class DatasetVersionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'dataset_id' })
  datasetId!: string;

  @Column('integer')
  number!: number;

  @Column('bigint', { name: 'row_count', transformer: bigintAsNumber })
  rowCount!: number;

  @Column('bigint', { name: 'rejected_count', transformer: bigintAsNumber })
  rejectedCount!: number;

  @Column('bigint', { transformer: bigintAsNumber })
  bytes!: number;

  @Column('text')
  sha256!: string;

  @Column('jsonb')
  schema!: DatasetSchema;

  @Column('text', { nullable: true })
  target!: string | null;

  @Column('text', { name: 'missing_tokens', array: true })
  missingTokens!: string[];

  @Column('jsonb')
  profile!: DatasetProfile;

  @Column('text', { name: 'source_name', nullable: true })
  sourceName!: string | null;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
