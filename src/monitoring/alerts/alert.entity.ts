import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AlertKind, Severity } from './alert-kinds';

export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/**
 * One episode of a rule on one subject (a model, a version's feature, the service): pending while
 * the condition holds for less than the rule's for-duration, firing after, resolved when it no
 * longer holds. A pending episode that clears is deleted: it never was an alert. The rule's name,
 * kind and severity are copied so the history outlives the rule.
 */
@Entity({ schema: 'monitoring', name: 'alerts' })
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'rule_id', type: 'uuid', nullable: true })
  ruleId!: string | null;

  @Column({ name: 'rule_name', type: 'text' })
  ruleName!: string;

  @Column({ type: 'text' })
  kind!: AlertKind;

  @Column({ type: 'text' })
  severity!: Severity;

  @Column({ type: 'text', nullable: true })
  model!: string | null;

  /** What the episode is about: `credit`, `credit@v3/Income`, `service`. */
  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  state!: AlertState;

  /** The last measured value (null when nothing could be measured). */
  @Column({ type: 'double precision', nullable: true })
  value!: number | null;

  @Column({ type: 'double precision', nullable: true })
  threshold!: number | null;

  /** What was measured, over which window, against what; at firing, and at resolving. */
  @Column({ type: 'jsonb' })
  evidence!: Record<string, unknown>;

  /** The retraining this alert started, if its rule asked for one. */
  @Column({ name: 'retrain_job_id', type: 'uuid', nullable: true })
  retrainJobId!: string | null;

  @Column({ name: 'pending_since', type: 'timestamptz' })
  pendingSince!: Date;

  @Column({ name: 'fired_at', type: 'timestamptz', nullable: true })
  firedAt!: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  /** Whether the firing and the resolution are queued for the webhooks (the row is its own outbox). */
  @Column({ name: 'notified_firing', type: 'boolean', default: false })
  notifiedFiring!: boolean;

  @Column({ name: 'notified_resolved', type: 'boolean', default: false })
  notifiedResolved!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
