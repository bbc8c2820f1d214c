import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { MirrorStatus } from './run.entity';

@Entity({ schema: 'registry', name: 'registered_models' })
export class RegisteredModelEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'mirror_status', type: 'text' })
  mirrorStatus!: MirrorStatus;

  @Column({ name: 'mirror_error', type: 'text', nullable: true })
  mirrorError!: string | null;
}
