import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ArtifactStore, type StoredObject } from './artifact-store';
import { ArtifactBlobEntity } from './entities/artifact-blob.entity';

/** Artifacts as bytea rows in registry.artifact_blobs: no extra infrastructure, backed up with the rest. */
@Injectable()
export class PostgresArtifactStore extends ArtifactStore {
  readonly name = 'postgres';

  constructor(@InjectRepository(ArtifactBlobEntity) private readonly blobs: Repository<ArtifactBlobEntity>) {
    super();
  }

  async put(key: string, data: Buffer): Promise<StoredObject> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    await this.blobs.upsert({ key, data, sha256, size: data.length }, ['key']);
    return { key, sha256, size: data.length };
  }

  async get(key: string): Promise<Buffer | null> {
    const row = await this.blobs.findOne({ where: { key }, select: { key: true, data: true } });
    return row ? row.data : null;
  }

  async delete(key: string): Promise<void> {
    await this.blobs.delete({ key });
  }
}
