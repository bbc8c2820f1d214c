import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ schema: 'registry', name: 'model_aliases' })
export class ModelAliasEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid' })
  modelId!: string;

  @PrimaryColumn({ type: 'text' })
  alias!: string;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;
}
