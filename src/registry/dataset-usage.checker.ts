import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
// The data module's published port (allowed by the lint rule's PORTS list): the registry depends
// on that one abstract port, never on data's services or tables.
import { DatasetUsageChecker, DatasetUsageCheckers } from '../data';

/**
 * The data module's port "is this dataset version used?", answered from registered model
 * versions (trained on it, or evaluated on it): such a version must not be deleted, or the
 * gate's "same held-out data" and the model's lineage would point at nothing.
 */
@Injectable()
export class RegistryDatasetUsage extends DatasetUsageChecker implements OnApplicationBootstrap {
  private readonly logger = new Logger(RegistryDatasetUsage.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {
    super();
  }

  /**
   * Found through ModuleRef rather than by importing DataModule: DataModule.forRoot(config) is a
   * dynamic module, and importing it a second time would register its controllers twice.
   */
  onApplicationBootstrap(): void {
    let checkers: DatasetUsageCheckers;
    try {
      checkers = this.moduleRef.get(DatasetUsageCheckers, { strict: false });
    } catch {
      this.logger.warn('the data module is not loaded; dataset versions are not protected by registered models');
      return;
    }
    checkers.register(this);
  }

  async usages(versionIds: string[]): Promise<{ versionId: string; usedBy: string }[]> {
    if (!versionIds.length) return [];
    const rows = await this.dataSource.query<{ version_id: string; name: string; version: number }[]>(
      `SELECT DISTINCT d.id AS version_id, m.name, v.version
         FROM registry.model_versions v
         JOIN registry.registered_models m ON m.id = v.model_id
         JOIN unnest($1::text[]) AS d(id) ON d.id IN (v.dataset_version_id, v.evaluation_dataset_version_id)
        ORDER BY m.name, v.version`,
      [versionIds],
    );
    return rows.map((r) => ({ versionId: r.version_id, usedBy: `model ${r.name} v${r.version}` }));
  }
}
