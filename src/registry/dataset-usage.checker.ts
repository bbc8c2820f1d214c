import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
// The data module's published port: the registry depends on that one abstract class, never on
// data's services or tables. The roles (src/roles) register this checker with the data module.
import { DatasetUsageChecker } from '../data/ports';

/**
 * The data module's port "is this dataset version used?", answered from registered model
 * versions (trained on it, or evaluated on it): such a version must not be deleted, or the
 * gate's "same held-out data" and the model's lineage would point at nothing.
 */
@Injectable()
export class RegistryDatasetUsage extends DatasetUsageChecker {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
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
