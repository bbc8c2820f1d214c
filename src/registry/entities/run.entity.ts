import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const RUN_STATUSES = ['running', 'finished', 'failed', 'killed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const MIRROR_STATUSES = ['disabled', 'pending', 'synced', 'failed'] as const;
export type MirrorStatus = (typeof MIRROR_STATUSES)[number];

@Entity({ schema: 'registry', name: 'runs' })
export class RunEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'experiment_id', type: 'uuid' })
  experimentId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  status!: RunStatus;

  @Column({ type: 'jsonb' })
  params!: Record<string, string>;

  @Column({ type: 'jsonb' })
  tags!: Record<string, string>;

  /** Final (held-out) metrics; per-epoch history lives in run_metrics. */
  @Column({ type: 'jsonb' })
  metrics!: Record<string, number>;

  @Column({ name: 'dataset_version_id', type: 'text', nullable: true })
  datasetVersionId!: string | null;

  @Column({ name: 'dataset_hash', type: 'text', nullable: true })
  datasetHash!: string | null;

  @Column({ name: 'code_version', type: 'text' })
  codeVersion!: string;

  @Column({ type: 'text', nullable: true })
  backend!: string | null;

  @Column({ name: 'started_by', type: 'text' })
  startedBy!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'mirror_status', type: 'text' })
  mirrorStatus!: MirrorStatus;

  @Column({ name: 'mirror_error', type: 'text', nullable: true })
  mirrorError!: string | null;

  @Column({ name: 'mirror_attempts', type: 'integer' })
  mirrorAttempts!: number;

  @Column({ name: 'mirror_requested_at', type: 'timestamptz', nullable: true })
  mirrorRequestedAt!: Date | null;

  @Column({ name: 'mirror_synced_at', type: 'timestamptz', nullable: true })
  mirrorSyncedAt!: Date | null;

  @Column({ name: 'mlflow_run_id', type: 'text', nullable: true })
  mlflowRunId!: string | null;

  @Column({ name: 'final_metrics_mirrored', type: 'boolean' })
  finalMetricsMirrored!: boolean;
}
