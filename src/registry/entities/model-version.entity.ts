import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A registered version, made from a run. `metrics` and `evaluationDatasetVersionId` (+ split) are
 * copied at registration so the quality gate can tell whether two versions were measured on the
 * same held-out data.
 */
@Entity({ schema: 'registry', name: 'model_versions' })
export class ModelVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ name: 'artifact_id', type: 'uuid' })
  artifactId!: string;

  @Column({ type: 'jsonb' })
  metrics!: Record<string, number>;

  @Column({ name: 'dataset_version_id', type: 'text', nullable: true })
  datasetVersionId!: string | null;

  @Column({ name: 'evaluation_dataset_version_id', type: 'text', nullable: true })
  evaluationDatasetVersionId!: string | null;

  @Column({ name: 'evaluation_split', type: 'text', nullable: true })
  evaluationSplit!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'mlflow_version', type: 'text', nullable: true })
  mlflowVersion!: string | null;
}
