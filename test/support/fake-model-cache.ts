import { isRegistryNotFound, RegistryError, RegistryErrorCode } from '../../src/registry';
import type { LoadedModel } from '../../src/inference/serving/loaded-model';
import { aliasOf, type Lease, type ModelCache } from '../../src/inference/serving/model-cache.service';
import type { ModelRef } from '../../src/inference/serving/model-source';
import { strict } from './strict';

/**
 * ModelCache's public contract (`acquire` / `tryAcquire`) over a fixed set of versions and
 * aliases, counting leases: `outstanding` is how many were acquired and not released yet, and a
 * lease released twice throws. Unknown models, versions and aliases are 404 as in the real cache.
 */
export class FakeModelCache {
  /** Every lookup, in order: `acquire credit@production`, `acquire credit@v2`, `tryAcquire credit@canary`. */
  readonly calls: string[] = [];
  acquired = 0;
  released = 0;
  private readonly versions = new Map<string, LoadedModel>();
  private readonly aliases = new Map<string, number>();
  /** Lookups that reject with this error instead (e.g. a bundle that cannot be loaded, 503). */
  private readonly failures = new Map<string, Error>();

  /** Serves `loaded` by its version and under each alias given. */
  add(loaded: LoadedModel, ...aliases: string[]): this {
    this.versions.set(`${loaded.model}@v${loaded.version}`, loaded);
    for (const alias of aliases) this.aliases.set(`${loaded.model}@${alias}`, loaded.version);
    return this;
  }

  /** Makes every lookup of `model@alias` reject with `err`. */
  fail(model: string, alias: string, err: Error): this {
    this.failures.set(`${model}@${alias}`, err);
    return this;
  }

  get outstanding(): number {
    return this.acquired - this.released;
  }

  /** Typed as the real cache; any other member throws. */
  asCache(): ModelCache {
    return strict<ModelCache>('cache', {
      acquire: (model: string, ref: ModelRef) => this.acquire(model, ref),
      tryAcquire: (model: string, alias: string) => this.tryAcquire(model, alias),
    });
  }

  async acquire(model: string, ref: ModelRef): Promise<Lease> {
    const alias = aliasOf(ref);
    this.calls.push(`acquire ${model}@${alias ?? `v${ref.version}`}`);
    return this.lease(model, ref, alias);
  }

  async tryAcquire(model: string, alias: string): Promise<Lease | null> {
    this.calls.push(`tryAcquire ${model}@${alias}`);
    try {
      return await this.lease(model, { alias }, alias);
    } catch (err) {
      if (isRegistryNotFound(err)) return null;
      throw err;
    }
  }

  private async lease(model: string, ref: ModelRef, alias: string | null): Promise<Lease> {
    const failure = alias !== null ? this.failures.get(`${model}@${alias}`) : undefined;
    if (failure) throw failure;
    const version = alias !== null ? this.aliases.get(`${model}@${alias}`) : ref.version;
    const loaded = version === undefined ? undefined : this.versions.get(`${model}@v${version}`);
    if (!loaded) {
      throw alias !== null
        ? new RegistryError(RegistryErrorCode.ALIAS_NOT_FOUND, `Alias ${alias} of model ${model} not found`)
        : new RegistryError(RegistryErrorCode.VERSION_NOT_FOUND, `Version ${ref.version} of model ${model} not found`);
    }
    loaded.acquire();
    this.acquired++;
    let released = false;
    return {
      loaded,
      alias,
      release: () => {
        if (released) throw new Error(`lease of ${model} v${loaded.version} released twice`);
        released = true;
        this.released++;
        loaded.release();
      },
    };
  }
}
