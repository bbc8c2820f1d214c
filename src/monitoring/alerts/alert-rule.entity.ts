import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AlertKind, Severity } from './alert-kinds';

/** An alert rule: what to watch, how bad is bad, for how long (docs/architecture.md, "Alerts"). */
@Entity({ schema: 'monitoring', name: 'alert_rules' })
export class AlertRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text' })
  kind!: AlertKind;

  /** The model watched; null: every model (or the whole service, for log drops). */
  @Column({ type: 'text', nullable: true })
  model!: string | null;

  /** The kind's params, validated and with their defaults filled in (alert-kinds.ts). */
  @Column({ type: 'jsonb' })
  params!: Record<string, unknown>;

  @Column({ type: 'text' })
  severity!: Severity;

  /** How far back each evaluation looks. */
  @Column({ name: 'window_seconds', type: 'integer' })
  windowSeconds!: number;

  /** How long the condition must hold before the alert fires (0: at the first evaluation). */
  @Column({ name: 'for_seconds', type: 'integer' })
  forSeconds!: number;

  /** Drift and quality kinds: a firing starts one retraining of the model (challenger only). */
  @Column({ type: 'boolean' })
  retrain!: boolean;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  /** `default` for a rule seeded from ALERT_RULES_DEFAULT, else the admin's id. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
