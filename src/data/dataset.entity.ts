import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { DatasetSchema } from '../ml';

/** `declared` by its creator, `inferred` from the first import (to confirm), `confirmed`, or `none` yet. */
export type SchemaSource = 'declared' | 'inferred' | 'confirmed' | 'none';

@Entity({ schema: 'data', name: 'datasets' })
export class DatasetEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text', { nullable: true })
  target!: string | null;

  @Column('jsonb', { nullable: true })
  schema!: DatasetSchema | null;

  @Column('text', { name: 'schema_source' })
  schemaSource!: SchemaSource;

  /** Internal row table (`ds_<uuid hex>`), set with the schema. */
  @Column('text', { name: 'table_name', nullable: true })
  tableName!: string | null;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
