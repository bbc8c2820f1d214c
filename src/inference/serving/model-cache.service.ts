import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { AppConfig } from '../../config/app-config';
import { isQueryRefused } from '../../database/query-refused';
import { initBackend, loadBundle } from '../../ml';
import { EventBus, EventsMissed } from '../../events';
import {
  AliasMoved,
  isRegistryNotFound,
  PRODUCTION_ALIAS,
  type AliasMovedEvent,
  type RegistryError,
} from '../../registry';
import { InferenceError, InferenceErrorCode, ModelUnloadableError } from '../inference.errors';
import { InferenceMetrics } from '../inference-metrics';
import { LoadedModel } from './loaded-model';
import { LastKnownGood, REFRESH_RETRY_MS, REFRESH_TIMEOUT_MS } from '../../common/last-known-good';
import { withTimeout } from '../../common/with-timeout';
import { Lru } from '../../common/lru';
import { ModelSource, type ModelRef } from './model-source';
import { isAliasNotFound, LISTED_VERSIONS, missingAlias } from './missing-alias';

/** The alias a reference asks for: its own, the production alias when it names none, null for a version. */
export function aliasOf(ref: ModelRef): string | null {
  return ref.version === undefined ? (ref.alias ?? PRODUCTION_ALIAS) : null;
}

/** A bundle that failed to load is not retried for this long (its bytes never change). */
const FAILED_LOAD_MS = 10_000;

interface AliasEntry {
  /** The version, or the 404 of an alias that does not exist (canary/shadow lookups are per request). */
  version: number | RegistryError;
  expiresAt: number;
  /** After a refresh that could not reach the registry, the next is not tried before this. */
  retryAt?: number;
}

/** A cached version: its load, and the model once that load has succeeded. */
interface Slot {
  loading: Promise<LoadedModel>;
  ready?: LoadedModel;
}

/** A model ready to predict, held (acquired) by one request until it calls `release`. */
export interface Lease {
  loaded: LoadedModel;
  alias: string | null;
  release: () => void;
}

/**
 * Loaded versions (bounded LRU, INFERENCE_CACHE_SIZE) and alias → version resolution. Aliases
 * are cached until the registry's AliasMoved event (every replica) or a TTL as a safety net for
 * a missed event. Concurrent loads of one version share one promise.
 */
@Injectable()
export class ModelCache implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ModelCache.name);
  private readonly versions: Lru<string, Slot>;
  private readonly aliases = new Map<string, AliasEntry>();
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly lastKnownGood: LastKnownGood;
  /** Bumped on every alias move, so a resolution that started before the move is not cached. */
  private readonly aliasGeneration = new Map<string, number>();
  private readonly failures = new Map<string, { error: InferenceError; until: number }>();
  private unsubscribe?: () => void;

  constructor(
    private readonly source: ModelSource,
    private readonly events: EventBus,
    private readonly config: AppConfig,
    private readonly metrics: InferenceMetrics,
  ) {
    this.lastKnownGood = new LastKnownGood('alias', config.env.SERVE_STALE_MAX_MS, this.logger, metrics.registry);
    this.versions = new Lru(config.env.INFERENCE_CACHE_SIZE, (key, slot) => {
      this.logger.log({ model: key }, 'model version evicted from the cache');
      slot.loading
        .then((m) => {
          m.evict();
          metrics.forgetVersion(m.model, m.version);
        })
        .catch(() => undefined);
    });
  }

  onModuleInit(): void {
    const moved = this.events.subscribe(AliasMoved, (event) => this.onAliasMoved(event));
    const missed = this.events.subscribe(EventsMissed, () => this.recheckAliases());
    this.unsubscribe = () => {
      moved();
      missed();
    };
  }

  /** A move may have been missed (Redis was down): each alias is asked again at its next request. */
  private recheckAliases(): void {
    const now = Date.now();
    for (const entry of this.aliases.values()) entry.expiresAt = Math.min(entry.expiresAt, now);
  }

  /**
   * Loads every version that holds an alias before traffic arrives (up to the cache size), so no
   * first request pays for a bundle load. A version that fails to load is logged, not fatal.
   */
  async warmUp(): Promise<number> {
    const aliases = (await this.source.aliases()).slice(0, this.config.env.INFERENCE_CACHE_SIZE);
    let loaded = 0;
    for (const { model, alias } of aliases) {
      try {
        (await this.acquire(model, { alias })).release();
        loaded++;
      } catch (err) {
        this.logger.warn({ model, alias, err: (err as Error).message }, 'could not warm a model version');
      }
    }
    if (aliases.length) this.logger.log({ loaded, aliases: aliases.length }, 'model cache warmed');
    return loaded;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.warmUp();
  }

  /** `model@version` of every version in memory (or loading), least recently used first. */
  cachedVersions(): string[] {
    return this.versions.keys();
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    for (const slot of this.versions.values()) slot.loading.then((m) => m.evict()).catch(() => undefined);
  }

  /** The model version a request should use, acquired until `release`. */
  async acquire(model: string, ref: ModelRef, rememberMissing = false): Promise<Lease> {
    const alias = aliasOf(ref);
    // Every request of a busy model finds its alias and version cached: that path awaits nothing
    // (each await is a promise, and with AsyncLocalStorage each promise runs hooks).
    let version = ref.version!;
    if (alias !== null)
      version = this.servableAlias(model, alias) ?? (await this.resolveAlias(model, alias, rememberMissing));
    const loaded = (
      this.versions.get(versionKey(model, version))?.ready ?? (await this.load(model, version))
    ).acquire();
    return { loaded, alias, release: () => loaded.release() };
  }

  /** Like `acquire` for an alias, but null when the registry does not know the model, alias or version. */
  async tryAcquire(model: string, alias: string): Promise<Lease | null> {
    try {
      return await this.acquire(model, { alias }, true);
    } catch (err) {
      if (isRegistryNotFound(err)) return null;
      throw err;
    }
  }

  /**
   * The version of an alias not cached. A request's alias the model does not have answers its 404
   * again, listing the versions to call instead (one more registry query, on the miss only; when
   * that listing fails, the plain 404 stands). Canary and shadow lookups keep the plain 404.
   */
  private async resolveAlias(model: string, alias: string, rememberMissing: boolean): Promise<number> {
    try {
      return await this.versionOfAlias(model, alias, rememberMissing);
    } catch (err) {
      if (rememberMissing || !isAliasNotFound(err)) throw err;
      const versions = await this.source.newestVersions(model, LISTED_VERSIONS).catch(() => null);
      throw versions ? missingAlias(model, alias, versions) : err;
    }
  }

  /** Drops the cached alias; the next request resolves it again (also warms the new version). */
  onAliasMoved(event: AliasMovedEvent): void {
    const key = aliasKey(event.modelName, event.alias);
    this.aliasGeneration.set(key, (this.aliasGeneration.get(key) ?? 0) + 1);
    this.aliases.delete(key);
    this.logger.log(
      { model: event.modelName, alias: event.alias, from: event.fromVersion, to: event.toVersion },
      'alias moved: swapping',
    );
    // Warm the new version now so the first request after the swap does not pay for the load.
    this.versionOfAlias(event.modelName, event.alias)
      .then((v) => this.load(event.modelName, v))
      .catch((err: unknown) =>
        this.logger.warn({ err: (err as Error).message, model: event.modelName }, 'could not warm the new version'),
      );
  }

  /**
   * `rememberMissing` only for canary/shadow lookups of configured models (a bounded set): caching
   * every 404 would let requests for random model names grow the map without bound.
   */
  private async versionOfAlias(model: string, alias: string, rememberMissing = false): Promise<number> {
    const key = aliasKey(model, alias);
    const cached = this.freshAlias(model, alias);
    if (cached) {
      if (typeof cached.version !== 'number') throw cached.version;
      return cached.version;
    }
    const generation = this.aliasGeneration.get(key) ?? 0;
    const remember = (version: number | RegistryError) => {
      if ((this.aliasGeneration.get(key) ?? 0) === generation)
        this.aliases.set(key, { version, expiresAt: Date.now() + this.config.env.INFERENCE_ALIAS_TTL_MS });
    };
    let version: number;
    try {
      version = await this.ask(model, () => this.source.versionOf(model, alias));
    } catch (err) {
      // A missing alias is remembered like a present one (until it moves or the TTL passes).
      if (rememberMissing && isRegistryNotFound(err)) remember(err);
      throw err;
    }
    remember(version);
    return version;
  }

  /**
   * The cached version of an alias if it may serve this request: fresh, or past its TTL while a
   * background refresh runs; while the registry is unreachable, up to SERVE_STALE_MAX_MS past it.
   */
  private servableAlias(model: string, alias: string): number | undefined {
    const key = aliasKey(model, alias);
    const entry = this.aliases.get(key);
    if (!entry || typeof entry.version !== 'number') return undefined;
    const now = Date.now();
    if (entry.expiresAt > now) return entry.version;
    if (!this.lastKnownGood.usable(entry.expiresAt, now)) return undefined;
    this.refreshAlias(model, alias, key);
    this.lastKnownGood.served(entry.expiresAt, now);
    return entry.version;
  }

  /** One refresh of an alias at a time, off the request path. */
  private refreshAlias(model: string, alias: string, key: string): void {
    if (this.refreshing.has(key) || (this.aliases.get(key)?.retryAt ?? 0) > Date.now()) return;
    const generation = this.aliasGeneration.get(key) ?? 0;
    const refresh = withTimeout(this.source.versionOf(model, alias), REFRESH_TIMEOUT_MS)
      .then(
        (version) => {
          this.lastKnownGood.refreshed();
          if ((this.aliasGeneration.get(key) ?? 0) === generation)
            this.aliases.set(key, { version, expiresAt: Date.now() + this.config.env.INFERENCE_ALIAS_TTL_MS });
        },
        (err: unknown) => {
          if (err instanceof DomainError || isQueryRefused(err)) {
            // The registry answered (the alias is gone, or a bug): the next request asks it itself.
            this.aliases.delete(key);
            return;
          }
          this.lastKnownGood.refreshFailed(err);
          const entry = this.aliases.get(key);
          if (entry) entry.retryAt = Date.now() + REFRESH_RETRY_MS;
        },
      )
      .finally(() => this.refreshing.delete(key));
    this.refreshing.set(key, refresh);
  }

  /** The cached resolution of an alias (a version or a remembered 404) until its TTL passes. */
  private freshAlias(model: string, alias: string): AliasEntry | undefined {
    const cached = this.aliases.get(aliasKey(model, alias));
    return cached && cached.expiresAt > Date.now() ? cached : undefined;
  }

  private load(model: string, version: number): Promise<LoadedModel> {
    const key = versionKey(model, version);
    const cached = this.versions.get(key);
    if (cached) return cached.loading;
    const failed = this.failures.get(key);
    if (failed && failed.until > Date.now()) return Promise.reject(failed.error);
    const loading = this.ask(model, () => this.source.bundle(model, version)).then((bytes) =>
      this.build(model, version, bytes),
    );
    this.remember(key, loading);
    return loading;
  }

  /** Caches a load; a failed one leaves the cache so the next request can try again. */
  private remember(key: string, loading: Promise<LoadedModel>): void {
    const slot: Slot = { loading };
    this.versions.set(key, slot);
    loading.then(
      (m) => (slot.ready = m),
      () => {
        if (this.versions.get(key) === slot) this.versions.delete(key);
      },
    );
  }

  /**
   * A registry call: its domain errors (not found) pass through, and so does a query PostgreSQL
   * refused (a bug, answered 500 and logged, not a false "unavailable"); any other failure is a 503.
   */
  private async ask<T>(model: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof DomainError || isQueryRefused(err)) throw err;
      this.logger.error({ err: (err as Error).message, model }, 'the model registry failed');
      throw new InferenceError(InferenceErrorCode.REGISTRY_UNAVAILABLE, 'The model registry is unavailable');
    }
  }

  private async build(model: string, version: number, bundle: Buffer): Promise<LoadedModel> {
    const key = versionKey(model, version);
    try {
      await initBackend();
      const predictor = await loadBundle(bundle);
      this.failures.delete(key);
      this.logger.log({ model, version }, 'model version loaded');
      return new LoadedModel(model, version, predictor, {
        maxRows: this.config.env.INFERENCE_MICROBATCH_MAX,
        waitMs: this.config.env.INFERENCE_MICROBATCH_WAIT_MS,
        onBatch: (rows) => this.metrics.batch(model, version, rows),
      });
    } catch (err) {
      const reason = (err as Error).message;
      this.logger.error({ model, version, reason }, 'model bundle cannot be loaded');
      this.metrics.loadFailed(model);
      const error = new ModelUnloadableError(model, version, reason);
      this.failures.set(key, { error, until: Date.now() + FAILED_LOAD_MS });
      throw error;
    }
  }
}

const aliasKey = (model: string, alias: string) => `${model}\u0000${alias}`;
const versionKey = (model: string, version: number) => `${model}@${version}`;
