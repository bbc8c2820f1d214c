import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Bytes of the PostgreSQL artifact store (the default ArtifactStore). */
@Entity({ schema: 'registry', name: 'artifact_blobs' })
export class ArtifactBlobEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'bytea' })
  data!: Buffer;

  @Column({ type: 'text' })
  sha256!: string;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  size!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
