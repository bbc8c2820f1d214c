import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Lru } from '../../common/lru';
import { OpenApiOverlay, type OpenApiParts } from '../../common/openapi-overlay';
import { AppConfig } from '../../config/app-config';
import { EventBus, EventsMissed } from '../../events';
import { parseBundle } from '../../ml';
import { AliasMoved, PRODUCTION_ALIAS, type AliasHolder } from '../../registry';
import { ModelSource } from '../serving/model-source';
import { servedModelParts, type DocumentedModel, type ServedModels } from './served-model-openapi';

/** Most models put in the document, so a registry of thousands does not make it huge. */
export const DOCUMENTED_MODELS_MAX = 25;

type VersionDoc = Pick<DocumentedModel, 'signature' | 'example'>;

/**
 * The served models' parts of the OpenAPI document (the `OpenApiOverlay` the Swagger setup asks):
 * for each model its production alias serves, the body of that version. Built once and cached
 * until an alias-moved event for that alias (from any replica), a missed-events notice, or
 * INFERENCE_ALIAS_TTL_MS; each version's signature is read from its bundle once (versions never
 * change). Version and model deletions need nothing: a version holding an alias cannot be
 * deleted, and models are never deleted.
 */
@Injectable()
export class ServedModelDocs extends OpenApiOverlay implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ServedModelDocs.name);
  private readonly versions = new Lru<string, Promise<VersionDoc>>(DOCUMENTED_MODELS_MAX);
  /** Bumped by every invalidation, so a build that started before one is not kept. */
  private generation = 0;
  private built?: { generation: number; at: number; parts: Promise<OpenApiParts> };
  private lastGood?: OpenApiParts;
  private unsubscribe?: () => void;

  constructor(
    private readonly source: ModelSource,
    private readonly events: EventBus,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    const moved = this.events.subscribe(AliasMoved, (e) => {
      if (e.alias === PRODUCTION_ALIAS) this.invalidate();
    });
    const missed = this.events.subscribe(EventsMissed, () => this.invalidate());
    this.unsubscribe = () => {
      moved();
      missed();
    };
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  invalidate(): void {
    this.generation++;
  }

  parts(base: OpenAPIObject): Promise<OpenApiParts> {
    const now = Date.now();
    const built = this.built;
    if (built && built.generation === this.generation && now - built.at < this.config.env.INFERENCE_ALIAS_TTL_MS)
      return built.parts;
    const parts = this.build(base).then(
      (p) => (this.lastGood = p),
      (err: unknown) => {
        // Not kept: the next request tries again. The docs still answer, with what was known.
        if (this.built?.parts === parts) this.built = undefined;
        this.logger.warn({ err: (err as Error).message }, 'could not read the served models for the API docs');
        const note = 'The served models could not be read from the registry; reload to try again.';
        return { ...(this.lastGood ?? { paths: {}, schemas: {}, tags: [] }), note };
      },
    );
    this.built = { generation: this.generation, at: now, parts };
    return parts;
  }

  private async build(base: OpenAPIObject): Promise<OpenApiParts> {
    const held = await this.source.aliasHolders(PRODUCTION_ALIAS, DOCUMENTED_MODELS_MAX);
    const served: ServedModels = {
      alias: PRODUCTION_ALIAS,
      documented: [],
      unreadable: [],
      holders: held.holders,
      models: held.models,
      cap: DOCUMENTED_MODELS_MAX,
    };
    const docs = await Promise.allSettled(held.versions.map((v) => this.versionDoc(v)));
    docs.forEach((d, i) => {
      const { model, version } = held.versions[i];
      if (d.status === 'fulfilled') served.documented.push({ model, version, ...d.value });
      else served.unreadable.push({ model, version, reason: (d.reason as Error).message });
    });
    return servedModelParts(base, served);
  }

  /** A version's signature and example, from its bundle (parsed, not loaded: no tfjs model is built). */
  private versionDoc({ model, version }: AliasHolder): Promise<VersionDoc> {
    const key = `${model}@${version}`;
    const cached = this.versions.get(key);
    if (cached) return cached;
    const doc = this.source.bundle(model, version).then((bytes) => {
      const bundle = parseBundle(bytes);
      return { signature: bundle.signature, example: bundle.inputExample };
    });
    this.versions.set(key, doc);
    // A failure is not remembered: the next build reads the bundle again.
    doc.catch(() => this.versions.delete(key));
    return doc;
  }
}
