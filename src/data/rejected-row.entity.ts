import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One refused cell of an import: line, column, value, reason. */
@Entity({ schema: 'data', name: 'rejected_rows' })
export class RejectedRowEntity {
  @PrimaryColumn('uuid', { name: 'version_id' })
  versionId!: string;

  @PrimaryColumn('integer')
  seq!: number;

  @Column('integer')
  line!: number;

  @Column('text', { name: 'column_name' })
  column!: string;

  @Column('text')
  value!: string;

  @Column('text')
  reason!: string;
}
