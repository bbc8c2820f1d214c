import { Injectable } from '@nestjs/common';
import { ModelRegistryService } from '../../registry';
import type { TallyTask } from './realised-tally';

/** A model version an alias points to, with what its realised figures are of. */
export interface ServedVersion extends TallyTask {
  model: string;
  version: number;
  aliases: string[];
}

const PAGE = 100;

/** The versions in service now: every version some alias of its model points to. */
@Injectable()
export class VersionsInService {
  constructor(private readonly registry: ModelRegistryService) {}

  async list(): Promise<ServedVersion[]> {
    const served: ServedVersion[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const models = await this.registry.listModels(PAGE, offset);
      for (const m of models) {
        const byVersion = new Map<number, string[]>();
        for (const [alias, version] of Object.entries(m.aliases))
          byVersion.set(version, [...(byVersion.get(version) ?? []), alias]);
        for (const [version, aliases] of byVersion) {
          const v = await this.registry.getVersion(m.name, version);
          served.push({ model: m.name, version, aliases, ...taskOf(v.task, v.positiveClass) });
        }
      }
      if (models.length < PAGE) return served;
    }
  }
}

/** A run's task param as the tally's task; an unrecorded one is read as classification without a positive class. */
function taskOf(task: string | null, positiveClass: string | null): TallyTask {
  if (task === 'regression') return { task: 'regression', positiveClass: null };
  if (task === 'binary') return { task: 'binary', positiveClass };
  return { task: 'multiclass', positiveClass: null };
}
