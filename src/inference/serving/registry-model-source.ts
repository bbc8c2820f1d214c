import { Injectable } from '@nestjs/common';
import { ModelRegistryService, PRODUCTION_ALIAS } from '../../registry';
import { ModelSource, type ModelRef, type ResolvedModel } from './model-source';

/** ModelSource over the registry module's exported service (its only entry point for us). */
@Injectable()
export class RegistryModelSource extends ModelSource {
  constructor(private readonly registry: ModelRegistryService) {
    super();
  }

  async resolve(model: string, ref: ModelRef): Promise<ResolvedModel> {
    const alias = ref.version === undefined ? (ref.alias ?? PRODUCTION_ALIAS) : null;
    const { version, bundle } = await this.registry.resolve(model, alias === null ? { version: ref.version! } : { alias });
    return { model, version: version.version, alias, bundle };
  }

  async versions(model: string): Promise<number[]> {
    return (await this.registry.listVersions(model)).map((v) => v.version).sort((a, b) => a - b);
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
