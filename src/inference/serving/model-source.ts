/** The version a model reference designates, with its bundle bytes. */
export interface ResolvedModel {
  model: string;
  version: number;
  /** The alias that was asked for, or null when a version number was. */
  alias: string | null;
  bundle: Buffer;
}

export interface ModelRef {
  alias?: string;
  version?: number;
}

/**
 * What inference needs from the model registry (a port, so inference never touches the
 * registry's tables). Implementations throw a 404 AppError for an unknown model, alias or version.
 */
export abstract class ModelSource {
  abstract resolve(model: string, ref: ModelRef): Promise<ResolvedModel>;
  /** The version numbers of a model (404 AppError for an unknown model). */
  abstract versions(model: string): Promise<number[]>;
  /** Every alias of every model, for warming the cache at start. */
  abstract aliases(): Promise<{ model: string; alias: string }[]>;
}
