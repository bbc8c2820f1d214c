import { Injectable } from '@nestjs/common';
import { ModelRegistryService, type AliasHolders } from '../../registry';
import { ModelSource } from './model-source';

/** ModelSource over the registry module's exported service (its only entry point for us). */
@Injectable()
export class RegistryModelSource extends ModelSource {
  constructor(private readonly registry: ModelRegistryService) {
    super();
  }

  versionOf(model: string, alias: string): Promise<number> {
    return this.registry.aliasVersion(model, alias);
  }

  bundle(model: string, version: number): Promise<Buffer> {
    return this.registry.bundleOf(model, version);
  }

  aliasHolders(alias: string, limit: number): Promise<AliasHolders> {
    return this.registry.aliasHolders(alias, limit);
  }

  async versions(model: string): Promise<number[]> {
    return (await this.registry.listVersions(model)).map((v) => v.version).sort((a, b) => a - b);
  }

  newestVersions(model: string, limit: number): Promise<{ newest: number[]; total: number }> {
    return this.registry.newestVersions(model, limit);
  }

  async aliases(): Promise<{ model: string; alias: string }[]> {
    const out: { model: string; alias: string }[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await this.registry.listModels(100, offset);
      for (const m of page) for (const alias of Object.keys(m.aliases)) out.push({ model: m.name, alias });
      if (page.length < 100) return out;
    }
  }
}
