import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { GateResult } from '../quality-gate';

/** One alias move: who, when, from which version to which, why, and what the gate said. */
@Entity({ schema: 'registry', name: 'alias_audit' })
export class AliasAuditEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId!: string;

  @Column({ type: 'text' })
  alias!: string;

  @Column({ name: 'from_version', type: 'integer', nullable: true })
  fromVersion!: number | null;

  @Column({ name: 'to_version', type: 'integer' })
  toVersion!: number;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'boolean' })
  forced!: boolean;

  @Column({ type: 'jsonb' })
  gate!: GateResult;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
