import { Injectable } from '@nestjs/common';
import { parseBundle, type BundleCalibration, type ReferenceProfile, type TargetEncoding } from '../../ml';
import { ModelRegistryService } from '../../registry';
import { buildPlan, type BucketPlan } from '../buckets/bucket-plan';

/** What a window of one version is compared with and estimated by, from its bundle. */
export interface VersionReference {
  profile: ReferenceProfile;
  target: TargetEncoding;
  threshold: number | null;
  calibration: BundleCalibration | null;
  /** How its predictions are counted into buckets: the serving replicas' plan, built from the same bundle. */
  plan: BucketPlan;
}

/** Versions kept; a bundle never changes, so an entry is only ever evicted, never stale. */
const CACHED_VERSIONS = 64;

/**
 * Reference profiles and calibration maps of model versions, read from their bundles through the
 * registry once per version (least recently used evicted past CACHED_VERSIONS): a bundle holds the
 * network's weights too, so parsing one per window would cost more than the window itself.
 */
@Injectable()
export class VersionReferences {
  private readonly cache = new Map<string, Promise<VersionReference>>();

  constructor(private readonly registry: ModelRegistryService) {}

  get(model: string, version: number): Promise<VersionReference> {
    const key = `${model}@${version}`;
    let entry = this.cache.get(key);
    if (entry) {
      this.cache.delete(key);
      this.cache.set(key, entry);
      return entry;
    }
    entry = this.load(model, version);
    this.cache.set(key, entry);
    entry.catch(() => this.cache.delete(key));
    while (this.cache.size > CACHED_VERSIONS) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }

  private async load(model: string, version: number): Promise<VersionReference> {
    const bundle = parseBundle(await this.registry.bundleOf(model, version));
    return {
      profile: bundle.referenceProfile,
      target: bundle.target,
      threshold: bundle.threshold,
      calibration: bundle.calibration ?? null,
      plan: buildPlan(bundle),
    };
  }
}
