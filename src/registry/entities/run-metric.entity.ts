import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One point of a metric's history (per epoch); re-logging a step overwrites it. */
@Entity({ schema: 'registry', name: 'run_metrics' })
export class RunMetricEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @PrimaryColumn({ type: 'integer' })
  step!: number;

  @Column({ type: 'double precision' })
  value!: number;

  @Column({ name: 'logged_at', type: 'timestamptz' })
  loggedAt!: Date;

  @Column({ type: 'boolean' })
  mirrored!: boolean;
}
