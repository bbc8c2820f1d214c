import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A named file of a run; its bytes live in an ArtifactStore under `storeKey`. */
@Entity({ schema: 'registry', name: 'artifacts' })
export class ArtifactEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Which store holds the bytes (`postgres` today; `azure-blob` later). */
  @Column({ type: 'text' })
  store!: string;

  @Column({ name: 'store_key', type: 'text' })
  storeKey!: string;

  @Column({ type: 'text' })
  sha256!: string;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  size!: number;

  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'boolean' })
  mirrored!: boolean;
}
