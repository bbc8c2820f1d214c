import { Injectable } from '@nestjs/common';

/**
 * Port for "is this dataset version used by something that must keep it?" (a registered model).
 * The data module knows no other module, so the registry implements this class and the roles
 * (src/roles) register its instance with `DatasetUsageCheckers.register()` at start. With no
 * checker registered every version counts as unused, so deletion is allowed.
 */
export abstract class DatasetUsageChecker {
  /** For each of these version ids that is in use, a short description of the user (e.g. `model credit v3`). */
  abstract usages(versionIds: string[]): Promise<{ versionId: string; usedBy: string }[]>;
}

@Injectable()
export class DatasetUsageCheckers {
  private readonly checkers: DatasetUsageChecker[] = [];

  /** Idempotent: a process that runs both roles registers the same checker from each. */
  register(checker: DatasetUsageChecker): void {
    if (!this.checkers.includes(checker)) this.checkers.push(checker);
  }

  async usages(versionIds: string[]): Promise<{ versionId: string; usedBy: string }[]> {
    if (!versionIds.length) return [];
    const all = await Promise.all(this.checkers.map((c) => c.usages(versionIds)));
    return all.flat();
  }
}
