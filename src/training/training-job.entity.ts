import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { TrainingRecipe } from './ports/experiment-tracker.port';

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobProgress {
  epoch: number;
  maxEpochs: number;
  loss: number;
  valLoss: number;
  valMetrics: Record<string, number>;
}

/** A training request and its outcome. The Bull job only carries this row's id. */
@Entity({ schema: 'training', name: 'jobs' })
export class TrainingJobEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'jsonb' })
  recipe!: TrainingRecipe;

  @Column({ name: 'dataset_version_id', type: 'uuid' })
  datasetVersionId!: string;

  @Column({ name: 'dataset_version', type: 'integer' })
  datasetVersion!: number;

  /** Registered model the result becomes a version of (null: run only). */
  @Column({ name: 'model_name', type: 'text', nullable: true })
  modelName!: string | null;

  /** Alias to move to the new version through the gate (e.g. `production`, `challenger`). */
  @Column({ name: 'promote_to', type: 'text', nullable: true })
  promoteTo!: string | null;

  /** Identical requests while one is queued or running collapse to it. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ type: 'text' })
  state!: JobState;

  @Column({ type: 'jsonb', nullable: true })
  progress!: JobProgress | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** The worker (`host:pid`, its heartbeat id) that claimed the latest attempt. */
  @Column({ name: 'worker_id', type: 'text', nullable: true })
  workerId!: string | null;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId!: string | null;

  @Column({ name: 'model_version', type: 'integer', nullable: true })
  modelVersion!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
