import type { AliasHolders } from '../../registry';

export interface ModelRef {
  alias?: string;
  version?: number;
}

/**
 * What inference needs from the model registry (a port, so inference never touches the
 * registry's tables). Which version an alias names and the bytes of a version are separate
 * questions: aliases are asked again whenever their cache expires, bundles once per load.
 * Implementations throw the registry's not-found errors (`isRegistryNotFound`) for an unknown model, alias or version.
 */
export abstract class ModelSource {
  /** The version number an alias names. */
  abstract versionOf(model: string, alias: string): Promise<number>;
  /** The bundle bytes of one version. */
  abstract bundle(model: string, version: number): Promise<Buffer>;
  /** The version numbers of a model (the registry's not-found error for an unknown model). */
  abstract versions(model: string): Promise<number[]>;
  /** The newest `limit` version numbers of a model, newest first, and how many it has. */
  abstract newestVersions(model: string, limit: number): Promise<{ newest: number[]; total: number }>;
  /** Every alias of every model, for warming the cache at start. */
  abstract aliases(): Promise<{ model: string; alias: string }[]>;
  /** The versions one alias names (the first `limit` models by name), and out of how many models. */
  abstract aliasHolders(alias: string, limit: number): Promise<AliasHolders>;
}
