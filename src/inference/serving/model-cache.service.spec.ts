import { Registry } from 'prom-client';
import { Logger } from '@nestjs/common';
import { RegistryError, RegistryErrorCode } from '../../registry';
import { InferenceErrorCode } from '../inference.errors';
import { loadConfig } from '../../config/app-config';
import { EventsMissed, type EventBus, type EventChannel, type EventHandler } from '../../events';
import { AliasMoved, type AliasMovedEvent } from '../../registry';
import type { InferenceMetrics } from '../inference-metrics';
import { ModelCache } from './model-cache.service';
import type { ModelSource } from './model-source';

// Bundles here are the text `ok:<name>` or `broken`; no tfjs in unit tests. The predictor records
// its disposal, which is what eviction must not do while a request holds the model.
const mockDisposed: string[] = [];
jest.mock('../../ml', () => ({
  initBackend: async () => 'cpu',
  loadBundle: async (bytes: Buffer) => {
    const text = bytes.toString();
    if (!text.startsWith('ok:')) throw new Error('not a bundle');
    return { dispose: () => mockDisposed.push(text.slice(3)) };
  },
}));

const bundleOf = (model: string, version: number) => Buffer.from(`ok:${model}@${version}`);

/** A registry held in maps; a ModelSource member the test did not stub throws (and is recorded). */
function fakeRegistry() {
  const aliases = new Map<string, number>([['credit/production', 1]]);
  const bundles = new Map<string, Buffer>([1, 2, 3].map((v) => [`credit@${v}`, bundleOf('credit', v)]));
  const calls: string[] = [];
  const unexpected: string[] = [];
  const stubs: Partial<Record<keyof ModelSource, (...args: never[]) => Promise<unknown>>> = {
    versionOf: async (model: string, alias: string) => {
      const version = aliases.get(`${model}/${alias}`);
      if (version === undefined)
        throw new RegistryError(RegistryErrorCode.ALIAS_NOT_FOUND, `Alias ${alias} of model ${model} not found`);
      return version;
    },
    bundle: async (model: string, version: number) => {
      const bytes = bundles.get(`${model}@${version}`);
      if (!bytes)
        throw new RegistryError(RegistryErrorCode.VERSION_NOT_FOUND, `Version ${version} of model ${model} not found`);
      return bytes;
    },
  };
  const source = new Proxy({} as ModelSource, {
    get(_target, prop) {
      if (prop === 'then') return undefined;
      const stub = stubs[prop as keyof ModelSource];
      if (!stub) {
        unexpected.push(String(prop));
        throw new Error(`unexpected call: ModelSource.${String(prop)}`);
      }
      return (...args: never[]) => {
        calls.push(`${String(prop)}(${args.join(', ')})`);
        return stub(...args);
      };
    },
  });
  return { source, stubs, aliases, bundles, calls, unexpected };
}

/** The bus as ModelCache uses it: it subscribes; the test plays the registry announcing a move. */
function fakeBus() {
  const handlers: EventHandler<AliasMovedEvent>[] = [];
  const missedHandlers: EventHandler<unknown>[] = [];
  const bus = {
    subscribe: <T>(channel: EventChannel<T>, handler: EventHandler<T>) => {
      if (channel === (EventsMissed as EventChannel<unknown>)) {
        missedHandlers.push(handler as EventHandler<unknown>);
        return () => undefined;
      }
      if (channel !== (AliasMoved as EventChannel<unknown>))
        throw new Error(`unexpected subscription to ${channel.name}`);
      handlers.push(handler as EventHandler<AliasMovedEvent>);
      return () => undefined;
    },
  };
  const move = (model: string, alias: string, fromVersion: number | null, toVersion: number) =>
    handlers.forEach(
      (h) =>
        void h({
          modelName: model,
          alias,
          fromVersion,
          toVersion,
          versionId: `v${toVersion}`,
          actor: 'user:test',
          reason: 'test',
          forced: false,
          auditId: 'a',
          movedAt: '',
        }),
    );
  /** The transport came back after an outage: moves of the meantime were missed. */
  const missed = () => missedHandlers.forEach((h) => void h({}));
  return { bus: bus as unknown as EventBus, move, missed, handlers };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets background work (the warm-up after a move, a load's bookkeeping) run to its end. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ModelCache', () => {
  let now: number;
  let errors: jest.SpyInstance;
  let registry: ReturnType<typeof fakeRegistry>;
  let events: ReturnType<typeof fakeBus>;
  const loadFailures: string[] = [];
  const forgotten: string[] = [];

  let promRegistry: Registry;

  function cache(env: Record<string, string> = {}): ModelCache {
    promRegistry = new Registry();
    const config = loadConfig({ INFERENCE_CACHE_SIZE: '8', INFERENCE_ALIAS_TTL_MS: '1000', ...env });
    const metrics = {
      batch: () => undefined,
      loadFailed: (model: string) => void loadFailures.push(model),
      forgetVersion: (model: string, version: number) => void forgotten.push(`${model}@${version}`),
      registry: promRegistry,
    } as unknown as InferenceMetrics;
    const c = new ModelCache(registry.source, events.bus, config, metrics);
    c.onModuleInit();
    return c;
  }

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    registry = fakeRegistry();
    events = fakeBus();
    mockDisposed.length = 0;
    loadFailures.length = 0;
  });
  afterEach(() => {
    jest.restoreAllMocks();
    expect(registry.unexpected).toEqual([]);
  });

  it('resolves an alias once, then serves it from the cache (the default alias is production)', async () => {
    const c = cache();
    const first = await c.acquire('credit', {});
    const second = await c.acquire('credit', { alias: 'production' });
    expect([first.loaded.version, first.alias, second.loaded.version, second.alias]).toEqual([
      1,
      'production',
      1,
      'production',
    ]);
    expect(second.loaded).toBe(first.loaded);
    expect(registry.calls).toEqual(['versionOf(credit, production)', 'bundle(credit, 1)']);
    const pinned = await c.acquire('credit', { version: 1 });
    expect([pinned.loaded, pinned.alias]).toEqual([first.loaded, null]);
    expect(registry.calls).toHaveLength(2);
  });

  it('after the TTL, serves the cached version while it asks versionOf again off the request path', async () => {
    const c = cache();
    await c.acquire('credit', {});
    now += 1001;
    expect((await c.acquire('credit', {})).loaded.version).toBe(1);
    await settle();
    expect(registry.calls).toEqual([
      'versionOf(credit, production)',
      'bundle(credit, 1)',
      'versionOf(credit, production)',
    ]);
    // A move whose event was missed is picked up by the next refresh, without re-reading version 1.
    registry.aliases.set('credit/production', 2);
    now += 1001;
    expect((await c.acquire('credit', {})).loaded.version).toBe(1);
    await settle();
    expect((await c.acquire('credit', {})).loaded.version).toBe(2);
    expect(registry.calls.slice(3)).toEqual(['versionOf(credit, production)', 'bundle(credit, 2)']);
  });

  it('asks every alias again, off the request path, once events may have been missed', async () => {
    const c = cache();
    await c.acquire('credit', {});
    registry.aliases.set('credit/production', 2); // moved while the event transport was down
    events.missed();
    expect((await c.acquire('credit', {})).loaded.version).toBe(1);
    await settle();
    expect((await c.acquire('credit', {})).loaded.version).toBe(2);
  });

  describe('while the registry is unreachable', () => {
    const unreachable = () => {
      registry.stubs.versionOf = async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      };
    };

    it('keeps serving the last resolved version up to SERVE_STALE_MAX_MS past the TTL, counted, then answers 503', async () => {
      const c = cache({ SERVE_STALE_MAX_MS: '5000' });
      await c.acquire('credit', {});
      unreachable();
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      for (let i = 0; i < 5; i++) {
        now += 1001; // past the TTL, then past each retry interval: one refresh tried each time
        expect((await c.acquire('credit', {})).loaded.version).toBe(1);
        await settle();
      }
      const refreshes = registry.calls.filter((call) => call.startsWith('versionOf')).length;
      expect(refreshes).toBe(1 + 5);
      expect(warn.mock.calls.filter(([, m]) => /serving alias answers from memory/.test(String(m)))).toHaveLength(1);
      const served = await promRegistry.getSingleMetricAsString('mlapi_stale_answers_total');
      expect(served).toMatch(/mlapi_stale_answers_total\{cache="alias"\} 4/);
      now += 1000; // 6,005 ms past the TTL: beyond the bound
      await expect(c.acquire('credit', {})).rejects.toMatchObject({ code: InferenceErrorCode.REGISTRY_UNAVAILABLE });
    });

    it('tries one refresh at a time, and at most once a second, whatever the request rate', async () => {
      const c = cache();
      await c.acquire('credit', {});
      unreachable();
      now += 1001;
      await Promise.all(Array.from({ length: 50 }, () => c.acquire('credit', {})));
      await settle();
      await Promise.all(Array.from({ length: 50 }, () => c.acquire('credit', {})));
      expect(registry.calls.filter((call) => call.startsWith('versionOf'))).toHaveLength(2);
    });
  });

  it('shares one load between concurrent acquires of one version', async () => {
    const c = cache();
    const bytes = deferred<Buffer>();
    registry.stubs.bundle = () => bytes.promise;
    const leases = Promise.all([
      c.acquire('credit', { version: 1 }),
      c.acquire('credit', { version: 1 }),
      c.acquire('credit', {}),
    ]);
    await settle();
    expect(c.cachedVersions()).toEqual(['credit@1']);
    bytes.resolve(bundleOf('credit', 1));
    const [a, b, viaAlias] = await leases;
    expect(b.loaded).toBe(a.loaded);
    expect(viaAlias.loaded).toBe(a.loaded);
    expect(registry.calls.filter((call) => call.startsWith('bundle'))).toEqual(['bundle(credit, 1)']);
  });

  it('remembers a failed load for its window, then tries again', async () => {
    const c = cache();
    registry.bundles.set('credit@1', Buffer.from('broken'));
    const refused = {
      code: InferenceErrorCode.MODEL_UNLOADABLE,
      message: 'Model credit version 1 cannot be loaded: not a bundle',
    };
    await expect(c.acquire('credit', { version: 1 })).rejects.toMatchObject(refused);
    now += 9_000;
    await expect(c.acquire('credit', { version: 1 })).rejects.toMatchObject(refused);
    expect(registry.calls).toEqual(['bundle(credit, 1)']);
    expect(loadFailures).toEqual(['credit']);
    expect(c.cachedVersions()).toEqual([]);
    now += 1_001;
    registry.bundles.set('credit@1', bundleOf('credit', 1));
    expect((await c.acquire('credit', { version: 1 })).loaded.version).toBe(1);
    expect(registry.calls).toEqual(['bundle(credit, 1)', 'bundle(credit, 1)']);
  });

  it('on an alias-moved event drops the alias and warms the new version', async () => {
    const c = cache();
    expect((await c.acquire('credit', {})).loaded.version).toBe(1);
    registry.aliases.set('credit/production', 2);
    events.move('credit', 'production', 1, 2);
    await settle();
    expect(c.cachedVersions()).toEqual(['credit@1', 'credit@2']);
    const calls = registry.calls.length;
    expect((await c.acquire('credit', {})).loaded.version).toBe(2);
    expect(registry.calls).toHaveLength(calls);
  });

  it('does not cache a resolution that started before a move', async () => {
    const c = cache();
    const answers = [deferred<number>(), deferred<number>()];
    registry.stubs.versionOf = () =>
      answers[registry.calls.filter((call) => call.startsWith('versionOf')).length - 1].promise;
    const before = c.acquire('credit', {});
    await settle();
    events.move('credit', 'production', 1, 2);
    await settle();
    answers[1].resolve(2); // the move's own resolution answers first...
    await settle();
    answers[0].resolve(1); // ...then the one that started before it, with the old version
    expect((await before).loaded.version).toBe(1);
    await settle();
    expect((await c.acquire('credit', {})).loaded.version).toBe(2);
    expect(registry.calls.filter((call) => call.startsWith('versionOf'))).toHaveLength(2);
  });

  it('evicts the least recently used version without freeing it while a request holds it', async () => {
    forgotten.length = 0;
    const c = cache({ INFERENCE_CACHE_SIZE: '1' });
    const held = await c.acquire('credit', { version: 1 });
    const other = await c.acquire('credit', { version: 2 });
    await settle();
    expect(c.cachedVersions()).toEqual(['credit@2']);
    expect(mockDisposed).toEqual([]);
    held.release();
    expect(mockDisposed).toEqual(['credit@1']);
    other.release();
    expect(mockDisposed).toEqual(['credit@1']);
    // Its metric series go with it: what /metrics reports stays bounded by the cache size.
    expect(forgotten).toEqual(['credit@1']);
  });

  it('answers 503 "The model registry is unavailable" when the registry fails, and retries next time', async () => {
    const c = cache();
    registry.stubs.versionOf = async () => {
      throw new Error('connection refused');
    };
    const unavailable = { code: InferenceErrorCode.REGISTRY_UNAVAILABLE, message: 'The model registry is unavailable' };
    await expect(c.acquire('credit', {})).rejects.toMatchObject(unavailable);
    registry.stubs.bundle = async () => {
      throw new Error('connection refused');
    };
    await expect(c.acquire('credit', { version: 1 })).rejects.toMatchObject(unavailable);
    expect(errors).toHaveBeenCalledWith(
      expect.objectContaining({ err: 'connection refused', model: 'credit' }),
      'the model registry failed',
    );
    await expect(c.acquire('credit', { version: 1 })).rejects.toMatchObject(unavailable);
    expect(registry.calls).toEqual(['versionOf(credit, production)', 'bundle(credit, 1)', 'bundle(credit, 1)']);
  });

  it('passes a query PostgreSQL refused through (a 500), not as "unavailable"; a lost connection stays a 503', async () => {
    const c = cache();
    // What TypeORM throws for a value the database cannot hold: a QueryFailedError carrying the SQLSTATE.
    const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      driverError: { code: '22021' },
    });
    registry.stubs.versionOf = async () => {
      throw refused;
    };
    await expect(c.acquire('credit', {})).rejects.toBe(refused);
    registry.stubs.versionOf = async () => {
      throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    };
    await expect(c.acquire('credit', {})).rejects.toMatchObject({ code: InferenceErrorCode.REGISTRY_UNAVAILABLE });
  });

  it("passes the registry's own 404s through, and remembers a missing alias only when asked to", async () => {
    const c = cache();
    registry.stubs.newestVersions = async () => ({ newest: [3, 2, 1], total: 3 });
    const missing = await c.acquire('credit', { alias: 'staging' }).catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(RegistryError);
    expect(missing).toMatchObject({
      code: RegistryErrorCode.ALIAS_NOT_FOUND,
      message: expect.stringMatching(/^Alias staging of model credit not found\. Its versions: 3, 2, 1\./),
      details: [expect.objectContaining({ field: 'alias', versions: [3, 2, 1], total: 3 })],
    });
    await expect(c.acquire('credit', { alias: 'staging' })).rejects.toMatchObject({
      code: RegistryErrorCode.ALIAS_NOT_FOUND,
    });
    expect(registry.calls).toEqual([
      'versionOf(credit, staging)',
      'newestVersions(credit, 10)',
      'versionOf(credit, staging)',
      'newestVersions(credit, 10)',
    ]);
    // Canary and shadow lookups remember the 404 until the alias moves, and list no versions.
    expect(await c.tryAcquire('credit', 'canary')).toBeNull();
    expect(await c.tryAcquire('credit', 'canary')).toBeNull();
    expect(registry.calls.slice(4)).toEqual(['versionOf(credit, canary)']);
    registry.aliases.set('credit/canary', 3);
    events.move('credit', 'canary', null, 3);
    await settle();
    expect((await c.tryAcquire('credit', 'canary'))?.loaded.version).toBe(3);
  });

  it('keeps the plain 404 of a missing alias when its versions cannot be listed, and lists none on a hit', async () => {
    const c = cache();
    registry.stubs.newestVersions = async () => {
      throw new Error('connection terminated');
    };
    await expect(c.acquire('credit', { alias: 'staging' })).rejects.toMatchObject({
      code: RegistryErrorCode.ALIAS_NOT_FOUND,
      message: 'Alias staging of model credit not found',
    });
    (await c.acquire('credit', {})).release();
    expect(registry.calls.filter((call) => call.startsWith('newestVersions'))).toHaveLength(1);
  });

  it('warms every aliased version up to the cache size', async () => {
    registry.aliases.set('credit/staging', 2);
    registry.aliases.set('credit/canary', 3);
    registry.stubs.aliases = async () =>
      ['production', 'staging', 'canary'].map((alias) => ({ model: 'credit', alias }));
    const c = cache({ INFERENCE_CACHE_SIZE: '2' });
    expect(await c.warmUp()).toBe(2);
    expect(c.cachedVersions()).toEqual(['credit@1', 'credit@2']);
  });
});
