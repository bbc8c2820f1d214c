/** What a store reports about bytes it holds. */
export interface StoredObject {
  key: string;
  sha256: string;
  size: number;
}

/**
 * The one storage interface of run artifacts (model bundles). PostgreSQL is the default
 * (PostgresArtifactStore); an Azure Blob store is the planned second implementation: provide it
 * under this class in RegistryModule when ARTIFACT_STORE=azure-blob, nothing else changes
 * (artifact rows record which store holds their bytes).
 */
export abstract class ArtifactStore {
  /** Short name recorded on artifact rows (`postgres`, later `azure-blob`). */
  abstract readonly name: string;
  /** Stores bytes under `key` (overwriting), returning their sha256 and size. */
  abstract put(key: string, data: Buffer): Promise<StoredObject>;
  /** The bytes under `key`, or null when absent. */
  abstract get(key: string): Promise<Buffer | null>;
  /** Removes `key`; absent keys are fine. */
  abstract delete(key: string): Promise<void>;
}
