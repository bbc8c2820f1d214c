import { Injectable } from '@nestjs/common';
import { parseBundle } from '../../ml';
import { ModelRegistryService } from '../../registry';
import type { TallyTask } from './realised-tally';

/** A model version an alias points to, with what its realised figures are of. */
export interface ServedVersion extends TallyTask {
  model: string;
  version: number;
  aliases: string[];
}

const PAGE = 100;

/**
 * The versions in service now: every version some alias of its model points to, with its task
 * and positive class from its run's params, or from its bundle's signature when the run recorded
 * none (a version registered from an outside run); a version's task never changes, so it is kept.
 */
@Injectable()
export class VersionsInService {
  private readonly tasks = new Map<string, TallyTask>();

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
          served.push({ model: m.name, version, aliases, ...(await this.taskOf(m.name, version)) });
        }
      }
      if (models.length < PAGE) return served;
    }
  }

  private async taskOf(model: string, version: number): Promise<TallyTask> {
    const key = `${model}@${version}`;
    let task = this.tasks.get(key);
    if (!task) {
      const v = await this.registry.getVersion(model, version);
      task = v.task ? tallyTask(v.task, v.positiveClass) : await this.bundleTask(model, version);
      this.tasks.set(key, task);
    }
    return task;
  }

  private async bundleTask(model: string, version: number): Promise<TallyTask> {
    try {
      const { target } = parseBundle(await this.registry.bundleOf(model, version)).signature;
      return tallyTask(target.task ?? null, target.positiveClass ?? null);
    } catch {
      // An unreadable bundle serves nothing; its logged answers are tallied without a positive class.
      return tallyTask(null, null);
    }
  }
}

/** A task as the tally's; an unknown one is read as classification without a positive class (macro figures). */
function tallyTask(task: string | null, positiveClass: string | null): TallyTask {
  if (task === 'regression') return { task: 'regression', positiveClass: null };
  if (task === 'binary') return { task: 'binary', positiveClass };
  return { task: 'multiclass', positiveClass: null };
}
